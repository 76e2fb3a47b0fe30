using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rampart.Logging;

namespace Rampart.Authentication;

/// <summary>
/// Refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP, RFC 9700 §4.14):
/// opaque 256-bit random values, stored only as SHA-256 hashes, single use — each use returns a new
/// access token and a new refresh token of the same family, whose absolute lifetime never grows.
/// Presenting a used refresh token again (a stolen copy, or a replay) revokes the whole family and
/// the access tokens issued within it, and logs event 1010. Concurrent uses of one token are one
/// winner and reuses: a client must not refresh in parallel.
/// </summary>
public sealed class RefreshTokenService
{
    private const int TokenBytes = 32;
    private readonly ITokenIssuer _issuer;
    private readonly IRefreshTokenStore _store;
    private readonly ITokenRevocationStore _revocations;
    private readonly IOptions<RampartAuthenticationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service over its stores.</summary>
    public RefreshTokenService(ITokenIssuer issuer, IRefreshTokenStore store, ITokenRevocationStore revocations,
        IOptions<RampartAuthenticationOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _revocations = revocations ?? throw new ArgumentNullException(nameof(revocations));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger(SecurityEvents.Category);
    }

    /// <summary>Starts a new family (a login): an access token and the family's first refresh token.</summary>
    public async ValueTask<TokenPair> IssueAsync(string subject, IEnumerable<string> permissions, CancellationToken cancellationToken)
    {
        string[] granted = [.. permissions];
        var access = _issuer.Issue(subject, granted);
        string scope = string.Join(' ', granted);
        var expiresAt = _time.GetUtcNow() + _options.Value.RefreshTokenLifetime;
        string refresh = NewToken();
        string family = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var entry = new RefreshTokenEntry(Hash(refresh), family, subject, scope, access.Id, access.ExpiresAt, expiresAt);
        if (!await _store.AddAsync(entry, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A new refresh-token family was refused by the store."); // a fresh random family is never revoked
        }

        return new TokenPair(access, refresh, expiresAt, scope);
    }

    /// <summary>
    /// Rotation: redeems <paramref name="refreshToken"/> and returns a new pair, or null when the token is
    /// unknown, used, revoked or expired. A used token revokes its family (reuse detection).
    /// <paramref name="client"/> (e.g. the client address) is only logged.
    /// </summary>
    public async ValueTask<TokenPair?> RefreshAsync(string refreshToken, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        if (refreshToken.Length is < 40 or > 64)
        {
            return null; // not one of ours; no store round trip
        }

        TokenPair? issued = null;
        var now = _time.GetUtcNow();
        var redemption = await _store.RedeemAsync(Hash(refreshToken), now, old =>
        {
            var access = _issuer.Issue(old.Subject, old.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            string next = NewToken();
            // The family's absolute expiry is kept: rotation never extends a login.
            issued = new TokenPair(access, next, old.ExpiresAt, old.Scope);
            return old with { TokenHash = Hash(next), AccessTokenId = access.Id, AccessTokenExpiresAt = access.ExpiresAt };
        }, cancellationToken).ConfigureAwait(false);

        switch (redemption.Status)
        {
            case RefreshTokenRedemptionStatus.Redeemed:
                return issued;
            case RefreshTokenRedemptionStatus.Reused:
                var entry = redemption.Entry!;
                int revoked = await RevokeFamilyAsync(entry.FamilyId, cancellationToken).ConfigureAwait(false);
                AuthenticationEvents.RefreshReuseDetected(_logger, entry.FamilyId, entry.Subject, revoked, client);
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Logout: revokes the refresh-token family of the access token <paramref name="accessTokenId"/>
    /// (when it was issued with one) and every access token issued within it; returns false when the
    /// access token belongs to no family. Revoke the presented access token itself with
    /// <see cref="ITokenRevocationStore"/> as well.
    /// </summary>
    public async ValueTask<bool> RevokeFamilyOfAccessTokenAsync(string accessTokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTokenId);
        if (await _store.FindFamilyAsync(accessTokenId, cancellationToken).ConfigureAwait(false) is not { } family)
        {
            return false;
        }

        await RevokeFamilyAsync(family, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask<int> RevokeFamilyAsync(string family, CancellationToken cancellationToken)
    {
        var accessTokens = await _store.RevokeFamilyAsync(family, cancellationToken).ConfigureAwait(false);
        foreach (var token in accessTokens)
        {
            await _revocations.RevokeAsync(token.TokenId, token.ExpiresAt, cancellationToken).ConfigureAwait(false);
        }

        return accessTokens.Count;
    }

    private static string NewToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(TokenBytes));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>An access token and the refresh token issued with it.</summary>
/// <param name="AccessToken">The access token.</param>
/// <param name="RefreshToken">The opaque refresh token (43 base64url characters). A secret: never log it.</param>
/// <param name="RefreshTokenExpiresAt">The family's absolute expiry.</param>
/// <param name="Scope">The granted permissions, space-separated (the access token's <c>scope</c>).</param>
public sealed record TokenPair(AccessToken AccessToken, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, string Scope)
{
    /// <summary>Keeps both tokens out of logs and debugger displays.</summary>
    public override string ToString() => $"TokenPair {{ AccessToken = {AccessToken}, RefreshTokenExpiresAt = {RefreshTokenExpiresAt:O}, Scope = {Scope} }}";
}
