using System;
using System.Collections.Generic;

namespace Rampart.Authentication;

/// <summary>
/// The hardened bearer-token profile, read from the <c>Rampart:Authentication</c> configuration section
/// by <c>AddRampartAuthentication()</c>. Unsafe values fail at start-up (<see cref="Validate"/>).
/// </summary>
public sealed class RampartAuthenticationOptions
{
    /// <summary>The default of <see cref="ClockSkew"/>: 30 seconds (IdentityModel's own default is 5 minutes).</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="AccessTokenLifetime"/>: 1 hour.</summary>
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>The default of <see cref="MaxTokenLength"/>: 4096 characters.</summary>
    public const int DefaultMaxTokenLength = 4096;

    /// <summary>The default of <see cref="ValidatedTokenCacheSize"/>: 10,000 tokens.</summary>
    public const int DefaultValidatedTokenCacheSize = 10_000;

    /// <summary>The access-token type of RFC 9068.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>The exact issuer (<c>iss</c>) of accepted tokens, and of issued ones. Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>The accepted audiences (<c>aud</c>), matched exactly; issued tokens carry the first. At least one is required.</summary>
    public IList<string> Audiences { get; } = new List<string>();

    /// <summary>The tolerated clock difference for <c>exp</c>, <c>nbf</c> and <c>iat</c>; 0 to 5 minutes, default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    /// <summary>When set, tokens must carry <c>iat</c> and are refused once older than this, whatever their <c>exp</c>.</summary>
    public TimeSpan? MaxTokenAge { get; set; }

    /// <summary>The longest accepted token, in characters (256 to 65536); longer ones are refused before decoding.</summary>
    public int MaxTokenLength { get; set; } = DefaultMaxTokenLength;

    /// <summary>
    /// The accepted <c>typ</c> header values, matched exactly. Default: <c>at+jwt</c> and <c>application/at+jwt</c>
    /// (RFC 9068); replace for tokens of a third-party identity provider that types them differently.
    /// </summary>
    public IList<string> ValidTypes { get; } = new List<string> { AccessTokenType, "application/" + AccessTokenType };

    /// <summary>The default of <see cref="JwksRefreshInterval"/>: 1 hour.</summary>
    public static readonly TimeSpan DefaultJwksRefreshInterval = TimeSpan.FromHours(1);

    /// <summary>The default of <see cref="JwksUnknownKeyRefreshInterval"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultJwksUnknownKeyRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A JWKS document (RFC 7517) whose signature keys validate tokens too (a resource server trusting an
    /// authorization server). https only, unless <see cref="AllowHttpJwksOnLoopback"/>. Not with <see cref="Authority"/>.
    /// </summary>
    public Uri? JwksUri { get; set; }

    /// <summary>
    /// An authorization server whose discovery document (<c>/.well-known/openid-configuration</c>) names the
    /// JWKS document; its <c>issuer</c> must equal <see cref="Issuer"/>. https only. Not with <see cref="JwksUri"/>.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>How long fetched JWKS keys are used before the document is fetched again (1 minute to 24 hours); default 1 hour.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = DefaultJwksRefreshInterval;

    /// <summary>
    /// The least time between two fetches caused by an unknown <c>kid</c> or a failed fetch (1 second up to
    /// <see cref="JwksRefreshInterval"/>); default 5 minutes. Bounds the fetches a flood of forged kids can cause.
    /// </summary>
    public TimeSpan JwksUnknownKeyRefreshInterval { get; set; } = DefaultJwksUnknownKeyRefreshInterval;

    /// <summary>
    /// The HTTP handler JWKS and discovery documents are fetched with (e.g. a test server's handler);
    /// default: a handler that follows no redirects. The https rule above applies either way.
    /// </summary>
    public System.Net.Http.HttpMessageHandler? JwksBackchannelHandler { get; set; }

    /// <summary>Allows http for a JWKS or authority address on a loopback host (development and tests only). Default false.</summary>
    public bool AllowHttpJwksOnLoopback { get; set; }

    /// <summary>
    /// The keys tokens are validated with, each bound to one algorithm. At least one is required unless
    /// <see cref="JwksUri"/> or <see cref="Authority"/> supplies them.
    /// </summary>
    public IList<RampartSigningKey> Keys { get; } = new List<RampartSigningKey>();

    /// <summary>The id of the key that signs issued tokens; default: the first key that can sign.</summary>
    public string? SigningKeyId { get; set; }

    /// <summary>The default of <see cref="RefreshTokenLifetime"/>: 14 days.</summary>
    public static readonly TimeSpan DefaultRefreshTokenLifetime = TimeSpan.FromDays(14);

    /// <summary>The absolute lifetime of a refresh-token family (1 hour to 90 days; rotation never extends it); default 14 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = DefaultRefreshTokenLifetime;

    /// <summary>The lifetime of issued access tokens (1 minute to 24 hours); default 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = DefaultAccessTokenLifetime;

    /// <summary>
    /// Caches validated tokens (keyed by the SHA-256 of the token, until <c>exp</c> at the latest, cleared
    /// on key changes) so a token seen again skips the signature and claims checks; revocation, size and
    /// transport checks still run on every request. Default true.
    /// </summary>
    public bool EnableValidatedTokenCache { get; set; } = true;

    /// <summary>The most tokens the validated-token cache holds (1 to 1,000,000); when full, new tokens are not cached. Default 10,000.</summary>
    public int ValidatedTokenCacheSize { get; set; } = DefaultValidatedTokenCacheSize;

    /// <summary>The key that signs issued tokens, or null when no configured key can sign.</summary>
    public RampartSigningKey? SigningKey
    {
        get
        {
            foreach (var key in Keys)
            {
                if (SigningKeyId is null ? key.CanSign : string.Equals(key.Id, SigningKeyId, StringComparison.Ordinal))
                {
                    return key;
                }
            }

            return null;
        }
    }

    /// <summary>Checks the profile and throws <see cref="InvalidOperationException"/> with a clear message when it is unsafe.</summary>
    public void Validate() => RampartAuthenticationOptionsValidator.Instance.ThrowIfInvalid(this);

    /// <summary>Null when <paramref name="uri"/> may be fetched: absolute https, or http on a loopback host when allowed.</summary>
    internal static string? CheckRemoteUri(Uri uri, bool allowHttpOnLoopback)
    {
        if (!uri.IsAbsoluteUri)
        {
            return $"'{uri}' must be an absolute https address.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && allowHttpOnLoopback
            ? null
            : $"'{uri.GetLeftPart(UriPartial.Path)}' must use https (http only on a loopback host with AllowHttpJwksOnLoopback, for development and tests).";
    }
}
