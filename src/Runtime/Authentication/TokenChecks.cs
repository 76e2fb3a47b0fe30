using System;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// The checks of a bearer token that IdentityModel does not make, or makes against the wrong clock: lifetime on
/// the registered <see cref="TimeProvider"/>, the claims every Rampart token must carry, its age, and revocation.
/// </summary>
internal static class TokenChecks
{
    /// <summary>
    /// The deny-list (by jti, and by subject against iat), failing closed: an unreachable store must not let
    /// revoked tokens through. Null when the token is not revoked.
    /// </summary>
    public static async ValueTask<TokenRejectedException?> CheckRevocationAsync(ITokenRevocationStore store, HttpContext httpContext, string tokenId, string? subject, DateTimeOffset? issuedAt)
    {
        var cancellation = httpContext.RequestAborted;
        bool revoked;
        try
        {
            revoked = await store.IsRevokedAsync(tokenId, subject, issuedAt, cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            return new TokenRejectedException(TokenRejectionReasons.RevocationUnavailable, ex);
        }

        return revoked ? new TokenRejectedException(TokenRejectionReasons.Revoked, tokenId, subject) : null;
    }

    /// <summary>
    /// The iat the subject revocation compares (cached with the token). A token of this application's own private
    /// signing key was issued on this application's clock; any other issuer (a JWKS or verification-only key, a
    /// shared secret) may run up to ClockSkew ahead — its iat is accepted that far in the future — so its token
    /// counts as issued that much earlier, and one minted just before a revocation cannot pass it.
    /// </summary>
    public static DateTimeOffset? RevocationIssuedAt(JsonWebToken jwt, RampartAuthenticationOptions options)
    {
        bool own = options.SigningKey is { CanSign: true, Key: AsymmetricSecurityKey key } && ReferenceEquals(jwt.SigningKey, key);
        return own ? IssuedAt(jwt) : IssuedAt(jwt) - options.ClockSkew;
    }

    /// <summary>
    /// The iat claim in whole seconds, rounded down (a fractional iat is allowed by RFC 7519, and rounding it up
    /// could move a token issued before a subject revocation past it); null without iat.
    /// </summary>
    public static DateTimeOffset? IssuedAt(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out long seconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return jwt.TryGetPayloadValue<double>(JwtRegisteredClaimNames.Iat, out double value) && value >= 0 && value < DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(value))
            : null;
    }

    /// <summary>
    /// IdentityModel's own lifetime check reads the system clock; this one reads <paramref name="time"/> and
    /// throws the same exception types.
    /// </summary>
    public static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } nbf && nbf > exp)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's 'nbf' is after its 'exp'.");
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        if (notBefore is { } start && start > now + skew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (exp < now - skew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = exp };
        }

        return true;
    }

    /// <summary>
    /// After the signature and the standard claims: a subject, a token id, an iat not in the future and, with
    /// <see cref="RampartAuthenticationOptions.MaxTokenAge"/>, not too old. The rejection reason, or null.
    /// </summary>
    public static string? CheckValidated(ClaimsPrincipal? principal, SecurityToken token, RampartAuthenticationOptions options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(principal?.FindFirst("sub")?.Value))
        {
            return TokenRejectionReasons.MissingSubject;
        }

        if (token is not JsonWebToken jwt)
        {
            return TokenRejectionReasons.Invalid;
        }

        if (string.IsNullOrWhiteSpace(principal.FindFirst("jti")?.Value))
        {
            return TokenRejectionReasons.MissingTokenId;
        }

        DateTime now = time.GetUtcNow().UtcDateTime;
        bool hasIssuedAt = jwt.TryGetPayloadValue<long>("iat", out _);
        if (hasIssuedAt && jwt.IssuedAt > now + options.ClockSkew)
        {
            return TokenRejectionReasons.IssuedInFuture;
        }

        if (options.MaxTokenAge is { } maxAge && (!hasIssuedAt || jwt.IssuedAt + maxAge + options.ClockSkew < now))
        {
            return TokenRejectionReasons.TooOld;
        }

        return null;
    }
}
