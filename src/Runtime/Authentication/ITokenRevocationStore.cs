using System;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// The deny-list of revoked access tokens: by <c>jti</c>, and by subject for every token of a user issued before a
/// point in time (after a password change, a removal or a compromise). Checked on every request that carries a
/// valid token, validated-token cache hits included; an exception from it fails the request closed (503), never open.
/// </summary>
public interface ITokenRevocationStore
{
    /// <summary>
    /// True when the token is revoked: its id <paramref name="tokenId"/> is listed, or <paramref name="subject"/> was
    /// revoked (<see cref="RevokeSubjectAsync"/>) for tokens issued before a second later than the token's
    /// <paramref name="issuedAt"/> (its <c>iat</c>). A token without <c>iat</c> (<paramref name="issuedAt"/> null)
    /// counts as issued before every such revocation. A null <paramref name="subject"/> checks the id only.
    /// </summary>
    ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the token with id <paramref name="tokenId"/>; the entry may be dropped once the token has
    /// expired (<paramref name="expiresAt"/> plus the largest allowed clock skew).
    /// </summary>
    ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes every token of <paramref name="subject"/> whose <c>iat</c> is earlier than <paramref name="notBefore"/>
    /// (whole seconds, as <c>iat</c>: a <paramref name="notBefore"/> within a second counts from the next whole one, so
    /// a token of that second is revoked too). A later revocation of the subject moves the point forward, never back.
    /// The entry may be dropped after <paramref name="keepUntil"/>, when no token issued before it can be accepted
    /// any more. Use <see cref="RefreshTokenService.RevokeSubjectAsync"/>, which also ends the subject's refresh tokens.
    /// </summary>
    ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken);
}

/// <summary>Helpers over <see cref="ITokenRevocationStore"/>.</summary>
public static class TokenRevocationStoreExtensions
{
    /// <summary>True when the token with id <paramref name="tokenId"/> is listed (the <c>jti</c> deny-list only, not subject revocations).</summary>
    public static ValueTask<bool> IsRevokedAsync(this ITokenRevocationStore store, string tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.IsRevokedAsync(tokenId, subject: null, issuedAt: null, cancellationToken);
    }

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
