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
/// winner and reuses: a client must not refresh in parallel. With an <see cref="IRefreshTokenValidator"/>
/// registered, every refresh first re-checks the user: a refused user's family is revoked (event 1011), and
/// the new access token carries only the granted permissions the user still holds.
/// <see cref="RevokeSubjectAsync"/> ends everything of a user at once (event 1012).
/// </summary>
public sealed class RefreshTokenService
{
    private const int TokenBytes = 32;

    // The largest clock skew allowed: a subject revocation is kept this long past the last token it can cover.
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    private readonly ITokenIssuer _issuer;
    private readonly IRefreshTokenStore _store;
    private readonly ITokenRevocationStore _revocations;
    private readonly IOptions<RampartAuthenticationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IRefreshTokenValidator? _validator;

    /// <summary>Creates the service over its stores; <paramref name="validator"/> (optional) re-checks the user on every refresh.</summary>
    public RefreshTokenService(ITokenIssuer issuer, IRefreshTokenStore store, ITokenRevocationStore revocations,
        IOptions<RampartAuthenticationOptions> options, TimeProvider time, ILoggerFactory loggers, IRefreshTokenValidator? validator = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _issuer = issuer ?? throw new ArgumentNullException(nameof(issuer));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _revocations = revocations ?? throw new ArgumentNullException(nameof(revocations));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger(SecurityEvents.Category);
        _validator = validator;
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
    /// unknown, used, revoked or expired, or the <see cref="IRefreshTokenValidator"/> refused its user (then the
    /// family is revoked). A used token revokes its family (reuse detection). <paramref name="client"/> (e.g. the
    /// client address) is only logged.
    /// </summary>
    public async ValueTask<TokenPair?> RefreshAsync(string refreshToken, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        if (refreshToken.Length is < 40 or > 64)
        {
            return null; // not one of ours; no store round trip
        }

        byte[] hash = Hash(refreshToken);
        var now = _time.GetUtcNow();
        RefreshTokenEntry? validate = null;
        if (_validator is not null)
        {
            // Before the redemption (the validator may be slow and must not run under the store's lock); a token
            // that is not redeemable is left to RedeemAsync below, which says why (and detects reuse).
            var state = await _store.InspectAsync(hash, now, cancellationToken).ConfigureAwait(false);
            validate = state is { Status: RefreshTokenRedemptionStatus.Redeemed, Entry: { } inspected } ? inspected : null;
        }

        RefreshTokenRedemption redemption;
        TokenPair? issued = null;
        for (int round = 0; ; round++)
        {
            string[]? narrowed = null;
            if (validate is not null)
            {
                string[] granted = Scopes(validate.Scope);
                var answer = await _validator!.ValidateAsync(validate.Subject, granted, cancellationToken).ConfigureAwait(false);
                if (!answer.IsValid)
                {
                    int revoked = await RevokeFamilyAsync(validate.FamilyId, cancellationToken).ConfigureAwait(false);
                    AuthenticationEvents.RefreshRefused(_logger, answer.Reason!, validate.FamilyId, validate.Subject, revoked, client);
                    return null;
                }

                // What the user holds now, within the login's grant: narrowed, never widened.
                narrowed = Array.FindAll(granted, answer.Permissions.Contains);
            }

            var validated = validate;
            try
            {
                redemption = await _store.RedeemAsync(hash, now, old =>
                {
                    // A store whose InspectAsync did not show the entry RedeemAsync redeems (a custom store, a
                    // replica behind) must not let a refresh skip the validator: nothing is minted for an entry
                    // that was not validated; the redemption is abandoned (the store rolls it back) and retried.
                    if (_validator is not null && !SameEntry(validated, old))
                    {
                        throw new UnvalidatedRedemption(old);
                    }

                    // The entry keeps the login's grant: a later refresh narrows from it again.
                    string[] scopes = narrowed ?? Scopes(old.Scope);
                    var access = _issuer.Issue(old.Subject, scopes);
                    string next = NewToken();
                    // The family's absolute expiry is kept: rotation never extends a login.
                    issued = new TokenPair(access, next, old.ExpiresAt, string.Join(' ', scopes));
                    return old with { TokenHash = Hash(next), AccessTokenId = access.Id, AccessTokenExpiresAt = access.ExpiresAt };
                }, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (UnvalidatedRedemption unvalidated)
            {
                if (round > 0)
                {
                    return null; // the store answers differently each time: refused, as a bad token
                }

                validate = unvalidated.Entry;
            }
        }

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
    /// Ends everything of <paramref name="subject"/> — after a password change, a removal or a compromise: every
    /// refresh-token family (their tokens are refused from now on) and every access token issued before now, by
    /// this service or any other issuer the application trusts (a per-subject "not valid if issued before" entry
    /// in the <see cref="ITokenRevocationStore"/>, checked on every request, cache hits included). Logs event 1012
    /// with <paramref name="reason"/> (a short reason class such as <c>password_changed</c>; never a secret).
    /// </summary>
    /// <remarks>
    /// <c>iat</c> has a resolution of one second, so the entry revokes every token whose <c>iat</c> is the current
    /// second or earlier — also those issued just after this call began, since a token of that second might have been
    /// issued just before it. This method returns once that second is over (at most one second later), so every token
    /// issued after it returns — e.g. at the next login — is accepted. Each instance's clock decides: keep them
    /// synchronized (a token issued by an instance whose clock is behind is refused until its clock has caught up,
    /// one whose clock is ahead can survive the call). A token of any other issuer — signed with a JWKS or
    /// verification-only key, or with a shared secret — counts as issued <see cref="RampartAuthenticationOptions.ClockSkew"/>
    /// earlier than its <c>iat</c>, since that issuer's clock may run that much ahead: so its tokens issued within
    /// that much after the call are refused too (the user signs in there again after it).
    /// The entry is kept for the longest lifetime a token issued before it can have (the access-token lifetime,
    /// <see cref="RampartAuthenticationOptions.MaxTokenAge"/> and the refresh-token lifetime, the longest of them,
    /// plus five minutes of clock skew); a token of another issuer that lives longer than that is covered only
    /// with <see cref="RampartAuthenticationOptions.MaxTokenAge"/> set.
    /// </remarks>
    public async ValueTask RevokeSubjectAsync(string subject, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        // The next whole second: every token with an iat of this second or earlier is revoked.
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds() + 1);
        var options = _options.Value;
        var longest = options.AccessTokenLifetime;
        longest = options.MaxTokenAge is { } age && age > longest ? age : longest;
        longest = options.RefreshTokenLifetime > longest ? options.RefreshTokenLifetime : longest;

        // The access tokens first: from here on none issued before notBefore is accepted. Then the families, so no
        // refresh mints another; the access tokens issued within them are also revoked by jti, which covers one
        // minted by a refresh that raced with this call past notBefore.
        await _revocations.RevokeSubjectAsync(subject, notBefore, notBefore + longest + Retention, cancellationToken).ConfigureAwait(false);
        var accessTokens = await _store.RevokeSubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        await RevokeAccessTokensAsync(accessTokens, cancellationToken).ConfigureAwait(false);
        AuthenticationEvents.SubjectRevoked(_logger, subject, notBefore, reason, accessTokens.Count);

        var wait = notBefore - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
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
        await RevokeAccessTokensAsync(accessTokens, cancellationToken).ConfigureAwait(false);
        return accessTokens.Count;
    }

    private async ValueTask RevokeAccessTokensAsync(IReadOnlyList<IssuedAccessToken> accessTokens, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var token in accessTokens)
        {
            // An access token expired beyond the clock skew can no longer be accepted: nothing to list.
            if (token.ExpiresAt + Retention >= now)
            {
                await _revocations.RevokeAsync(token.TokenId, token.ExpiresAt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string[] Scopes(string scope) => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static bool SameEntry(RefreshTokenEntry? validated, RefreshTokenEntry redeemed) =>
        validated is not null
        && validated.TokenHash.AsSpan().SequenceEqual(redeemed.TokenHash)
        && string.Equals(validated.FamilyId, redeemed.FamilyId, StringComparison.Ordinal)
        && string.Equals(validated.Subject, redeemed.Subject, StringComparison.Ordinal)
        && string.Equals(validated.Scope, redeemed.Scope, StringComparison.Ordinal);

    /// <summary>Abandons a redemption of an entry the validator has not seen (thrown inside the store's successor callback).</summary>
    private sealed class UnvalidatedRedemption(RefreshTokenEntry entry) : Exception("The refresh-token store redeemed an entry that was not validated.")
    {
        public RefreshTokenEntry Entry { get; } = entry;
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
