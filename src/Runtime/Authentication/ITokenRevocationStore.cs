using System;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// The deny-list of revoked access tokens, by <c>jti</c>. Checked on every request that carries a valid
/// token; an exception from it fails the request closed (503), never open.
/// </summary>
public interface ITokenRevocationStore
{
    /// <summary>True when the token with id <paramref name="tokenId"/> has been revoked.</summary>
    ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the token with id <paramref name="tokenId"/>; the entry may be dropped once the token has
    /// expired (<paramref name="expiresAt"/> plus the largest allowed clock skew).
    /// </summary>
    ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>Helpers over <see cref="ITokenRevocationStore"/>.</summary>
public static class TokenRevocationStoreExtensions
{
    /// <summary>Revokes the validated token of <paramref name="principal"/> (its <c>jti</c> until its <c>exp</c>), e.g. on logout.</summary>
    public static ValueTask RevokeAsync(this ITokenRevocationStore store, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("Only the token of an authenticated principal can be revoked.");
        }

        string tokenId = principal.FindFirst("jti")?.Value is { Length: > 0 } jti
            ? jti
            : throw new InvalidOperationException("The principal's token has no 'jti'.");
        DateTimeOffset expiresAt = principal.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new InvalidOperationException("The principal's token has no numeric 'exp'.");
        return store.RevokeAsync(tokenId, expiresAt, cancellationToken);
    }
}
