using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rampart.Errors;
using Rampart.Hosting;
using Rampart.Logging;

namespace Rampart.Authentication;

/// <summary>
/// Authenticates every request with the hardened JwtBearer scheme. A presented token that fails any
/// check ends the request here — on every endpoint, anonymous ones included — with 401,
/// <c>WWW-Authenticate: Bearer error="invalid_token"</c>, a problem body without validator details and
/// a security event. A request without a token goes on anonymous; a protected endpoint then answers
/// 401 itself (and the missing token is logged here).
/// </summary>
internal sealed class RampartAuthenticationMiddleware
{
    private const string Detail = "The access token is missing, malformed, expired or otherwise invalid.";
    internal const string BearerPrefix = "Bearer ";
    private readonly RequestDelegate _next;
    private readonly ILogger _logger;
    private readonly IOptionsMonitor<JwtBearerOptions> _bearer;
    private readonly SigningKeyRing _ring;
    private readonly JwksKeySource _jwks;
    private readonly IServiceProvider _services;
    private ITokenRevocationStore? _revocations;
    private bool _revocationsPerRequest;
    private readonly bool _cachedPath;
    private readonly Rampart.RateLimiting.FailedAuthenticationLimiter _failures;

    public RampartAuthenticationMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, IOptionsMonitor<JwtBearerOptions> bearer,
        SigningKeyRing ring, JwksKeySource jwks, IServiceProvider services)
    {
        _next = next;
        _logger = loggerFactory.CreateLogger(SecurityEvents.Category);
        _bearer = bearer;
        _ring = ring;
        _jwks = jwks;
        _services = services;
        _failures = RampartRuntime.From(services).FailedAuthentications;
        // A claims transformation is applied by AuthenticateAsync: with one registered, every request takes that path.
        // Resolved in a scope of its own, so a scoped transformation is seen (and not resolved from the root).
        using (var scope = services.CreateScope())
        {
            _cachedPath = scope.ServiceProvider.GetService<IClaimsTransformation>() is null or NoopClaimsTransformation;
        }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;

        // RFC 6750 allows the query string, but it ends up in logs, history and Referer headers.
        if (request.QueryString.HasValue && request.Query.ContainsKey("access_token"))
        {
            await RejectAsync(context, TokenRejectionReasons.TokenInQuery).ConfigureAwait(false);
            return;
        }

        if (request.Headers.Authorization.Count == 0)
        {
            LogMissingIfProtected(context);
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (_cachedPath)
        {
            if (_jwks.Enabled)
            {
                // Periodic refresh (a no-op until the refresh interval has passed), as on the full path.
                await _jwks.EnsureAsync(null, context.RequestAborted).ConfigureAwait(false);
            }

            if (TryGetCached(request, out var cached))
            {
                // Signature and claims were checked when the token was cached; revocation is checked now.
                if (await TokenChecks.CheckRevocationAsync(RevocationsFor(context), context, cached.TokenId, cached.Subject, cached.IssuedAt).ConfigureAwait(false) is { } revoked)
                {
                    await RejectAsync(context, revoked.Reason, revoked).ConfigureAwait(false);
                    return;
                }

                context.User = cached.Principal;
                await _next(context).ConfigureAwait(false);
                return;
            }
        }

        // An address that has spent its budget of failed authentications gets no further validation (429).
        if (_failures.TryRefuse(context, out Task refused))
        {
            await refused.ConfigureAwait(false);
            return;
        }

        AuthenticateResult result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (result.Succeeded)
        {
            context.User = result.Principal;
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (result.Failure is null)
        {
            // An Authorization header of another scheme: no bearer token.
            LogMissingIfProtected(context);
            await _next(context).ConfigureAwait(false);
            return;
        }

        await RejectAsync(context, Classify(result.Failure), result.Failure as TokenRejectedException).ConfigureAwait(false);
    }

    private Task RejectAsync(HttpContext context, string reason, TokenRejectedException? rejected = null)
    {
        string method = context.Request.Method;
        string route = Route(context);
        string client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        switch (reason)
        {
            case TokenRejectionReasons.RevocationUnavailable:
                // Not the client's fault and not a bad token: 503, no WWW-Authenticate challenge.
                AuthenticationEvents.RevocationStoreUnavailable(_logger, rejected?.InnerException ?? rejected!, method, route, client);
                return Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The request cannot be authorized right now.");
            case TokenRejectionReasons.SigningKeysUnavailable:
                // The keys could not be fetched (event 1006 has the cause): not the client's fault either.
                AuthenticationEvents.TokenInvalid(_logger, reason, method, route, client);
                return Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The request cannot be authorized right now.");
            case TokenRejectionReasons.Expired:
                AuthenticationEvents.TokenExpired(_logger, method, route, client);
                break;
            case TokenRejectionReasons.Revoked:
                AuthenticationEvents.TokenRevoked(_logger, rejected?.TokenId ?? "unknown", rejected?.Subject ?? "unknown", method, route, client);
                break;
            default:
                AuthenticationEvents.TokenInvalid(_logger, reason, method, route, client);
                break;
        }

        _failures.Failed(context);
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, Detail);
    }

    // The validated-token cache, consulted without the JwtBearer handler (no handler, result, ticket or event
    // context per request). Only a request the full path would look up in the cache gets here: exactly one
    // Authorization header, a bearer token within the size limit, the cache enabled by the current profile.
    // Anything else, and every miss, goes through AuthenticateAsync, which checks it in full.
    private bool TryGetCached(HttpRequest request, out ValidatedTokenCache.CachedToken cached)
    {
        cached = default;
        // Rebuilds the profile first when the configuration changed (the monitor's cached instance otherwise).
        _ = _bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var snapshot = _ring.Current;
        var values = request.Headers.Authorization;
        if (snapshot is not { Options.EnableValidatedTokenCache: true } || values.Count != 1 || values[0] is not { } header
            || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || header.Length - BearerPrefix.Length > snapshot.Options.MaxTokenLength)
        {
            return false;
        }

        // Shared: no claims transformation can run on this path (see the constructor), and the principal is read-only.
        return _ring.Cache.TryGet(HashOf(request.HttpContext, header), snapshot.Generation, shared: true, out cached);
    }

    // Kestrel hands a keep-alive connection the same string instance for a header value it repeats
    // (KestrelServerOptions.DisableStringReuse is false by default), so the hash of the last token of the
    // connection is kept in its persistent state: the same instance (a string cannot change) needs no second
    // SHA-256. Anything else — another token, another server — is hashed.
    internal static ValidatedTokenCache.TokenHash HashOf(HttpContext context, string header)
    {
        var state = context.Features.Get<IPersistentStateFeature>()?.State;
        if (state is not null && state.TryGetValue(HashMemoKey, out object? value) && value is HeaderHash memo && ReferenceEquals(memo.Header, header))
        {
            return memo.Hash;
        }

        var hash = ValidatedTokenCache.Hash(header.AsSpan(BearerPrefix.Length));
        if (state is not null)
        {
            state[HashMemoKey] = new HeaderHash(header, hash);
        }

        return hash;
    }

    private static readonly object HashMemoKey = new();

    internal sealed record HeaderHash(string Header, ValidatedTokenCache.TokenHash Hash);

    // Every registration of Rampart's is a singleton: then it is resolved once (through RequestServices each hit
    // would create a request scope). An application's scoped or transient store is resolved per request, as before.
    private ITokenRevocationStore RevocationsFor(HttpContext context)
    {
        if (_revocations is { } shared)
        {
            return shared;
        }

        if (!_revocationsPerRequest)
        {
            using var first = _services.CreateScope();
            using var second = _services.CreateScope();
            var store = first.ServiceProvider.GetRequiredService<ITokenRevocationStore>();
            if (ReferenceEquals(store, second.ServiceProvider.GetRequiredService<ITokenRevocationStore>()))
            {
                return _revocations = store;
            }

            _revocationsPerRequest = true;
        }

        return context.RequestServices.GetRequiredService<ITokenRevocationStore>();
    }

    private void LogMissingIfProtected(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<SecureEndpointMetadata>();
        if (metadata is { AllowAnonymous: false })
        {
            AuthenticationEvents.TokenMissing(_logger, context.Request.Method, metadata.Route,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }
    }

    private static string Route(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<SecureEndpointMetadata>()?.Route ?? "(unmatched)";

    // Exception type → reason class. Never the message: it can name keys, claims or values.
    internal static string Classify(System.Exception failure) => failure switch
    {
        TokenRejectedException rejected => rejected.Reason,
        SecurityTokenExpiredException => TokenRejectionReasons.Expired,
        SecurityTokenNoExpirationException => TokenRejectionReasons.MissingExpiration,
        SecurityTokenNotYetValidException => TokenRejectionReasons.NotYetValid,
        SecurityTokenInvalidLifetimeException => TokenRejectionReasons.InvalidLifetime,
        SecurityTokenSignatureKeyNotFoundException => TokenRejectionReasons.UnknownKey,
        SecurityTokenInvalidSignatureException => TokenRejectionReasons.InvalidSignature,
        SecurityTokenInvalidIssuerException => TokenRejectionReasons.InvalidIssuer,
        SecurityTokenInvalidAudienceException => TokenRejectionReasons.InvalidAudience,
        SecurityTokenInvalidTypeException => TokenRejectionReasons.InvalidType,
        SecurityTokenInvalidAlgorithmException => TokenRejectionReasons.AlgorithmNotAllowed,
        SecurityTokenMalformedException => TokenRejectionReasons.Malformed,
        _ => TokenRejectionReasons.Invalid,
    };
}
