using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Rampart.Authentication;

/// <summary>
/// The JwtBearer handler's events under Rampart's profile, one instance per profile version. Before validation:
/// one Authorization header, a bearer token (never a query or a cookie) within the size limit, the
/// validated-token cache, the header precheck (<see cref="TokenPrecheck"/>) and a JWKS refetch for an unknown
/// kid. After validation: the claims of <see cref="TokenChecks.CheckValidated"/>, revocation, and the token
/// into the cache.
/// </summary>
internal sealed class RampartJwtBearerEvents : JwtBearerEvents
{
    private static readonly object PendingCacheEntryKey = new();

    private readonly RampartAuthenticationOptions _options;
    private readonly TimeProvider _time;
    private readonly SigningKeyRing _ring;
    private readonly JwksKeySource _jwks;
    private readonly long _version;
    private readonly string[] _algorithms;
    private readonly bool _remote;

    /// <summary>
    /// The events of profile <paramref name="options"/>, whose key-ring version is <paramref name="version"/> (only
    /// its requests use the cache) and whose algorithm allow-list is <paramref name="algorithms"/>. Created after
    /// <paramref name="jwks"/> took the profile: whether it fetches keys is read once, here.
    /// </summary>
    public RampartJwtBearerEvents(RampartAuthenticationOptions options, TimeProvider time, SigningKeyRing ring, JwksKeySource jwks, long version, string[] algorithms)
    {
        _options = options;
        _time = time;
        _ring = ring;
        _jwks = jwks;
        _version = version;
        _algorithms = algorithms;
        _remote = jwks.Enabled;
    }

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        var values = context.Request.Headers.Authorization;
        if (values.Count > 1)
        {
            context.Fail(new TokenRejectedException(TokenRejectionReasons.MultipleAuthorizationHeaders));
            return;
        }

        string header = values.ToString();
        if (!header.StartsWith(RampartAuthenticationMiddleware.BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // No bearer credentials (absent, or another scheme): never fall back to a query or a cookie.
            context.NoResult();
            return;
        }

        string token = header[RampartAuthenticationMiddleware.BearerPrefix.Length..];
        if (token.Length > _options.MaxTokenLength)
        {
            context.Fail(new TokenRejectedException(TokenRejectionReasons.Oversized));
            return;
        }

        var abort = context.HttpContext.RequestAborted;
        if (_remote)
        {
            // Periodic refresh (a no-op until the refresh interval has passed).
            await _jwks.EnsureAsync(null, abort).ConfigureAwait(false);
        }

        // The generation is read before the resolver reads the keys (see SigningKeyRing), and only a
        // request of the current profile version uses the cache.
        var snapshot = _ring.Current!;
        bool cacheable = _options.EnableValidatedTokenCache && snapshot.OptionsVersion == _version;
        ValidatedTokenCache.TokenHash hash = default;
        if (cacheable)
        {
            hash = ValidatedTokenCache.Hash(token);
            if (_ring.Cache.TryGet(hash, snapshot.Generation, shared: false, out var cached))
            {
                // Signature and claims were checked when the token was cached; revocation is checked now.
                await AcceptCachedAsync(context, cached).ConfigureAwait(false);
                return;
            }
        }

        if (TokenPrecheck.Check(token, _options.MaxTokenLength, _algorithms, out string? kid) is { } reason)
        {
            context.Fail(new TokenRejectedException(reason));
            return;
        }

        if (_remote && kid is not null && !snapshot.Contains(kid))
        {
            // An unknown kid may be a new key of the authorization server: one rate-limited refetch.
            bool loaded = await _jwks.EnsureAsync(kid, abort).ConfigureAwait(false);
            snapshot = _ring.Current!;
            if (!loaded && !snapshot.Contains(kid))
            {
                context.Fail(new TokenRejectedException(TokenRejectionReasons.SigningKeysUnavailable));
                return;
            }
        }

        if (cacheable)
        {
            context.HttpContext.Items[PendingCacheEntryKey] = new PendingCacheEntry(hash, snapshot.Generation);
        }

        context.Token = token;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (TokenChecks.CheckValidated(context.Principal, context.SecurityToken, _options, _time) is { } reason)
        {
            context.Fail(new TokenRejectedException(reason));
            return;
        }

        _ring.Cache.CountValidation();
        // Revocation: checked on every request, after the signature (so the jti, sub and iat are the issuer's).
        var jwt = (JsonWebToken)context.SecurityToken;
        string tokenId = context.Principal!.FindFirst("jti")!.Value;
        string? subject = context.Principal.FindFirst("sub")?.Value;
        DateTimeOffset? issuedAt = TokenChecks.RevocationIssuedAt(jwt, _options);
        if (await CheckRevocationAsync(context.HttpContext, tokenId, subject, issuedAt).ConfigureAwait(false) is { } rejected)
        {
            context.Fail(rejected);
            return;
        }

        if (context.HttpContext.Items[PendingCacheEntryKey] is PendingCacheEntry pending)
        {
            DateTimeOffset until = new(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
            if (_options.MaxTokenAge is { } maxAge)
            {
                DateTimeOffset oldest = new DateTimeOffset(DateTime.SpecifyKind(jwt.IssuedAt, DateTimeKind.Utc)) + maxAge;
                until = oldest < until ? oldest : until;
            }

            _ring.Cache.TryAdd(pending.Hash, pending.Generation, context.Principal, tokenId, subject, issuedAt, until);
        }
    }

    private static async Task AcceptCachedAsync(MessageReceivedContext context, ValidatedTokenCache.CachedToken cached)
    {
        if (await CheckRevocationAsync(context.HttpContext, cached.TokenId, cached.Subject, cached.IssuedAt).ConfigureAwait(false) is { } rejected)
        {
            context.Fail(rejected);
            return;
        }

        context.Principal = cached.Principal;
        context.Success();
    }

    private static ValueTask<TokenRejectedException?> CheckRevocationAsync(Microsoft.AspNetCore.Http.HttpContext httpContext, string tokenId, string? subject, DateTimeOffset? issuedAt) =>
        TokenChecks.CheckRevocationAsync(httpContext.RequestServices.GetRequiredService<ITokenRevocationStore>(), httpContext, tokenId, subject, issuedAt);

    private sealed record PendingCacheEntry(ValidatedTokenCache.TokenHash Hash, long Generation);
}
