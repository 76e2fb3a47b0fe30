using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// Re-checks the user on every refresh (<see cref="RefreshTokenService.RefreshAsync"/>): without it a refresh-token
/// family keeps minting access tokens with the scopes of the login for its whole lifetime, whatever happened to the
/// user since. Register one implementation as a singleton; it is called before the refresh token is redeemed.
/// </summary>
public interface IRefreshTokenValidator
{
    /// <summary>
    /// Answers whether <paramref name="subject"/> may still refresh: <see cref="RefreshValidation.Valid"/> with the
    /// permissions the user holds now (the new access token gets those of <paramref name="grantedScopes"/> — never
    /// more than the login was granted), or <see cref="RefreshValidation.Refused"/> (the family is revoked with its
    /// access tokens). An exception is not a refusal: nothing is redeemed or revoked, and it propagates.
    /// </summary>
    /// <param name="subject">The family's subject (<c>sub</c>).</param>
    /// <param name="grantedScopes">The permissions granted at the family's login.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    ValueTask<RefreshValidation> ValidateAsync(string subject, IReadOnlyList<string> grantedScopes, CancellationToken cancellationToken);
}

/// <summary>The answer of an <see cref="IRefreshTokenValidator"/>.</summary>
public sealed class RefreshValidation
{
    private RefreshValidation(IReadOnlySet<string>? permissions, string? reason)
    {
        Permissions = permissions ?? new HashSet<string>();
        Reason = reason;
    }

    /// <summary>True when the refresh may go on.</summary>
    public bool IsValid => Reason is null;

    /// <summary>The permissions the user holds now (empty when refused).</summary>
    public IReadOnlySet<string> Permissions { get; }

    /// <summary>Why the refresh was refused (logged with event 1011); null when valid.</summary>
    public string? Reason { get; }

    /// <summary>The user may refresh, with at most <paramref name="permissions"/> (the permissions the user holds now).</summary>
    public static RefreshValidation Valid(IEnumerable<string> permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        return new RefreshValidation(new HashSet<string>(permissions, StringComparer.Ordinal), null);
    }

    /// <summary>
    /// The user may not refresh (removed, disabled, locked …): the family is revoked. <paramref name="reason"/> is a
    /// short reason class for the security log (e.g. <c>user_not_found</c>); never put a secret in it.
    /// </summary>
    public static RefreshValidation Refused(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new RefreshValidation(null, reason);
    }
}
