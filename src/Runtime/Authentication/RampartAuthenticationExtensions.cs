using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Rampart.Authentication;

// ASP.NET Core convention: hosting extensions live in the namespaces of the types they extend.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and enables Rampart's hardened bearer-token authentication.</summary>
public static class RampartAuthenticationExtensions
{
    /// <summary>The configuration section read by <see cref="AddRampartAuthentication(WebApplicationBuilder, Action{RampartAuthenticationOptions}?)"/>.</summary>
    public const string SectionName = "Rampart:Authentication";

    /// <summary>
    /// Adds JwtBearer authentication with Rampart's hardened profile and an <see cref="ITokenIssuer"/>,
    /// with options read from the <c>Rampart:Authentication</c> configuration section, then
    /// <paramref name="configure"/>. Unsafe options fail at start-up with a clear message. Enable it with
    /// <see cref="UseRampartAuthentication"/>.
    /// </summary>
    public static WebApplicationBuilder AddRampartAuthentication(this WebApplicationBuilder builder, Action<RampartAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IConfigurationSection section = builder.Configuration.GetSection(SectionName);
        AddStores(builder, section);
        builder.Services.AddRampartAuthentication(options =>
        {
            ReadInto(section, options);
            configure?.Invoke(options);
        });

        // A configuration reload rebuilds the profile (keys included) and so clears the validated-token cache.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(
            new ConfigurationChangeTokenSource<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, section));
        return builder;
    }

    // The revocation and refresh-token stores: SQLite by default (Store = Sqlite; ConnectionString default
    // App_Data/rampart.db under the content root), or Memory for a single instance and tests. Read when
    // first resolved, so configuration added after this call counts. Stores registered before this call
    // (e.g. the Redis deny-list) win.
    private static void AddStores(WebApplicationBuilder builder, IConfigurationSection section)
    {
        string contentRoot = builder.Environment.ContentRootPath;
        builder.Services.TryAddSingleton<ITokenRevocationStore>(sp => StoreConnectionString(section, contentRoot) is { } connectionString
            ? new SqliteTokenRevocationStore(connectionString, sp.GetService<TimeProvider>())
            : new InMemoryTokenRevocationStore(sp.GetService<TimeProvider>()));
        builder.Services.TryAddSingleton<IRefreshTokenStore>(sp => StoreConnectionString(section, contentRoot) is { } connectionString
            ? new SqliteRefreshTokenStore(connectionString, sp.GetService<TimeProvider>())
            : new InMemoryRefreshTokenStore(sp.GetService<TimeProvider>()));
    }

    // The SQLite connection string (its folder created), or null for the in-memory stores.
    private static string? StoreConnectionString(IConfigurationSection section, string contentRoot)
    {
        switch (section["Store"] ?? "Sqlite")
        {
            case "Sqlite":
                string connectionString = section["ConnectionString"] is { Length: > 0 } configured
                    ? configured
                    : "Data Source=" + System.IO.Path.Combine(contentRoot, "App_Data", "rampart.db");
                SqliteDatabase.EnsureDirectory(connectionString);
                return connectionString;
            case "Memory":
                return null;
            default:
                throw new InvalidOperationException($"{SectionName}:Store must be Sqlite or Memory (the Redis deny-list is registered with AddRampartRedisTokenRevocation).");
        }
    }

    /// <summary>Adds Rampart's hardened bearer-token authentication, configured by <paramref name="configure"/> only.</summary>
    public static IServiceCollection AddRampartAuthentication(this IServiceCollection services, Action<RampartAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RampartAuthenticationOptions>()
            .Configure(configure)
            .Validate(options =>
            {
                options.Validate();
                return true;
            })
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ValidatedTokenCache(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SigningKeyRing(sp.GetRequiredService<ValidatedTokenCache>()));
        services.TryAddSingleton(sp => new JwksKeySource(sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        services.TryAddSingleton<ITokenIssuer>(sp =>
        {
            var monitor = sp.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>();
            // Before each issue: rebuilds the profile when the configuration changed, so a rotated key signs at once.
            return new JwtTokenIssuer(sp.GetRequiredService<IOptions<RampartAuthenticationOptions>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<SigningKeyRing>(), () => monitor.Get(JwtBearerDefaults.AuthenticationScheme));
        });
        services.TryAddSingleton<ITokenRevocationStore>(sp => new InMemoryTokenRevocationStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IRefreshTokenStore>(sp => new InMemoryRefreshTokenStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new RefreshTokenService(
            sp.GetRequiredService<ITokenIssuer>(), sp.GetRequiredService<IRefreshTokenStore>(), sp.GetRequiredService<ITokenRevocationStore>(),
            sp.GetRequiredService<IOptions<RampartAuthenticationOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(), sp.GetService<IRefreshTokenValidator>()));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            // The first build uses the IOptions snapshot (the instance the issuer and the application see);
            // a rebuild after a configuration reload reads the options afresh, so key changes take effect.
            .Configure<IOptions<RampartAuthenticationOptions>, IOptionsFactory<RampartAuthenticationOptions>, TimeProvider, SigningKeyRing, JwksKeySource>(
                (jwt, snapshot, factory, time, ring, jwks) => Harden(jwt, ring.Cache.ClaimStartupProfile() ? snapshot.Value : factory.Create(Options.DefaultName), time, ring, jwks));
        return services;
    }

    /// <summary>
    /// Authenticates every request with the hardened profile: call after <c>UseRampart()</c> (so errors
    /// carry the security headers) and before the endpoints. A presented token that fails any check is
    /// answered with 401 here, on every endpoint. Resolves the options now, so unsafe ones fail at start-up.
    /// ASP.NET Core's authorization middleware follows directly, so the fallback policy set by <c>AddRampart()</c>
    /// sees the authenticated caller and its 401s carry the security headers and problem details.
    /// </summary>
    public static IApplicationBuilder UseRampartAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.ApplicationServices.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        _ = app.ApplicationServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        // This middleware authenticates bearer tokens. Without the marker WebApplication would put ASP.NET Core's
        // authentication middleware at the start of the pipeline, which runs the JwtBearer handler on every
        // request before this one (a second pass over every token). Schemes with remote sign-in callbacks
        // (OpenID Connect, OAuth) still need that middleware: then it is added here, in front of this one.
        if (!app.Properties.ContainsKey(AuthenticationMiddlewareSetKey))
        {
            var schemes = app.ApplicationServices.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
            if (schemes.GetRequestHandlerSchemesAsync().GetAwaiter().GetResult().Any())
            {
                app.UseAuthentication();
            }

            app.Properties[AuthenticationMiddlewareSetKey] = true;
        }

        app.UseMiddleware<RampartAuthenticationMiddleware>();
        if (app.ApplicationServices.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider>() is null)
        {
            return app;
        }

        // Rampart's endpoints check authentication and permissions inline, allocation-free. Through
        // ASP.NET Core's authorization middleware they would also pay for the fallback policy (a policy
        // evaluator, an authentication result and a handler context per request, ~1.9 KB), so the
        // middleware runs only where it is needed (RampartHostingExtensions.NeedsAuthorizationMiddleware).
        app.Use(next => RampartHostingExtensions.AuthorizeWhereNeeded(app, next));

        // UseAuthorization() leaves this marker on the builder it is called on; the branch has its own copy of
        // the properties, so set it here too, or WebApplication would add a second authorization middleware
        // at the start of the pipeline (before the security headers and problem details).
        app.Properties[RampartHostingExtensions.AuthorizationMiddlewareSetKey] = true;
        return app;
    }

    // The key of Microsoft.AspNetCore.Builder.AuthAppBuilderExtensions (internal there).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    // Every asymmetric algorithm a JWKS key can be bound to (each key still allows only its own one).
    private static readonly string[] RemoteAlgorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    /// <summary>The default path of <see cref="MapRampartJwks"/>.</summary>
    public const string DefaultJwksPath = "/.well-known/jwks.json";

    /// <summary>
    /// Publishes the public keys of the configured asymmetric signing keys as a JWKS document (RFC 7517)
    /// at <paramref name="pattern"/>, for resource servers that validate this issuer's tokens. Public
    /// parameters only; symmetric keys are never published. Keys stay listed while configured, so tokens
    /// of a rotated-out key validate elsewhere until the key is removed.
    /// </summary>
    public static IEndpointConventionBuilder MapRampartJwks(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = DefaultJwksPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Public by definition (resource servers fetch it without credentials): exempt from the
        // fallback policy that requires an authenticated caller on endpoints mapped outside Rampart.
        return endpoints.MapGet(pattern, JwksEndpoint.WriteAsync).WithDisplayName("Rampart JWKS").AllowAnonymous();
    }

    private static void Harden(JwtBearerOptions jwt, RampartAuthenticationOptions options, TimeProvider time, SigningKeyRing ring, JwksKeySource jwks)
    {
        // A new key set (start-up or reload): tokens validated with the previous one are forgotten.
        long version = ring.PublishOptions(options);
        jwks.Configure(options);
        var cache = ring.Cache;
        bool remote = jwks.Enabled;
        bool caching = options.EnableValidatedTokenCache;
        // Keys only from configuration or the configured JWKS document (fetched by JwksKeySource, not by
        // JwtBearer): no metadata from the token, no authority of JwtBearer's own.
        jwt.Authority = null;
        jwt.MetadataAddress = string.Empty;
        jwt.Configuration = null;
        jwt.ConfigurationManager = null;
        jwt.RefreshOnIssuerKeyNotFound = false;
        jwt.IncludeErrorDetails = false;
        jwt.SaveToken = false;
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new JsonWebTokenHandler
        {
            MapInboundClaims = false,
            MaximumTokenSizeInBytes = options.MaxTokenLength,
        });

        var algorithms = options.Keys.Select(k => k.Algorithm).Concat(remote ? RemoteAlgorithms : []).Distinct(StringComparer.Ordinal).ToArray();
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidateIssuer = true,
            ValidAudiences = options.Audiences.ToArray(),
            ValidateAudience = true,
            RequireAudience = true,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = options.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(notBefore, expires, options.ClockSkew, time),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = algorithms,
            ValidTypes = options.ValidTypes.ToArray(),
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, token, kid, _) => ResolveKey(ring.Current!.Keys, token, kid),
            NameClaimType = "sub",
            RoleClaimType = "role",
            SaveSigninToken = false,
            ValidateTokenReplay = false,
        };

        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
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
                if (token.Length > options.MaxTokenLength)
                {
                    context.Fail(new TokenRejectedException(TokenRejectionReasons.Oversized));
                    return;
                }

                var abort = context.HttpContext.RequestAborted;
                if (remote)
                {
                    // Periodic refresh (a no-op until the refresh interval has passed).
                    await jwks.EnsureAsync(null, abort).ConfigureAwait(false);
                }

                // The generation is read before the resolver reads the keys (see SigningKeyRing), and only a
                // request of the current profile version uses the cache.
                var snapshot = ring.Current!;
                bool cacheable = caching && snapshot.OptionsVersion == version;
                ValidatedTokenCache.TokenHash hash = default;
                if (cacheable)
                {
                    hash = ValidatedTokenCache.Hash(token);
                    if (cache.TryGet(hash, snapshot.Generation, shared: false, out var cached))
                    {
                        // Signature and claims were checked when the token was cached; revocation is checked now.
                        await AcceptCachedAsync(context, cached).ConfigureAwait(false);
                        return;
                    }
                }

                if (TokenPrecheck.Check(token, options.MaxTokenLength, algorithms, out string? kid) is { } reason)
                {
                    context.Fail(new TokenRejectedException(reason));
                    return;
                }

                if (remote && kid is not null && !snapshot.Contains(kid))
                {
                    // An unknown kid may be a new key of the authorization server: one rate-limited refetch.
                    bool loaded = await jwks.EnsureAsync(kid, abort).ConfigureAwait(false);
                    snapshot = ring.Current!;
                    if (!loaded && !snapshot.Contains(kid))
                    {
                        context.Fail(new TokenRejectedException(TokenRejectionReasons.SigningKeysUnavailable));
                        return;
                    }
                }

                if (cacheable)
                {
                    context.HttpContext.Items[TokenHashKey] = new PendingCacheEntry(hash, snapshot.Generation);
                }

                context.Token = token;
            },
            OnTokenValidated = async context =>
            {
                if (CheckValidated(context.Principal, context.SecurityToken, options, time) is { } reason)
                {
                    context.Fail(new TokenRejectedException(reason));
                    return;
                }

                cache.CountValidation();
                // Revocation: checked on every request, after the signature (so the jti, sub and iat are the issuer's).
                var jwt = (JsonWebToken)context.SecurityToken;
                string tokenId = context.Principal!.FindFirst("jti")!.Value;
                string? subject = context.Principal.FindFirst("sub")?.Value;
                DateTimeOffset? issuedAt = RevocationIssuedAt(jwt, options);
                if (await CheckRevocationAsync(context.HttpContext, tokenId, subject, issuedAt).ConfigureAwait(false) is { } rejected)
                {
                    context.Fail(rejected);
                    return;
                }

                if (context.HttpContext.Items[TokenHashKey] is PendingCacheEntry pending)
                {
                    DateTimeOffset until = new(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
                    if (options.MaxTokenAge is { } maxAge)
                    {
                        DateTimeOffset oldest = new DateTimeOffset(DateTime.SpecifyKind(jwt.IssuedAt, DateTimeKind.Utc)) + maxAge;
                        until = oldest < until ? oldest : until;
                    }

                    cache.TryAdd(pending.Hash, pending.Generation, context.Principal, tokenId, subject, issuedAt, until);
                }
            },
        };
    }

    private static readonly object TokenHashKey = new();

    private sealed record PendingCacheEntry(ValidatedTokenCache.TokenHash Hash, long Generation);

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

    // The deny-list (by jti, and by subject against iat), failing closed: an unreachable store must not let revoked tokens through.
    private static ValueTask<TokenRejectedException?> CheckRevocationAsync(HttpContext httpContext, string tokenId, string? subject, DateTimeOffset? issuedAt) =>
        CheckRevocationAsync(httpContext.RequestServices.GetRequiredService<ITokenRevocationStore>(), httpContext, tokenId, subject, issuedAt);

    internal static async ValueTask<TokenRejectedException?> CheckRevocationAsync(ITokenRevocationStore store, HttpContext httpContext, string tokenId, string? subject, DateTimeOffset? issuedAt)
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

    // The iat claim in whole seconds, rounded down (a fractional iat is allowed by RFC 7519, and rounding it up
    // could move a token issued before a subject revocation past it); null without iat.
    private static DateTimeOffset? IssuedAt(JsonWebToken jwt)
    {
        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out long seconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return jwt.TryGetPayloadValue<double>(JwtRegisteredClaimNames.Iat, out double value) && value >= 0 && value < DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(value))
            : null;
    }

    // The iat the subject revocation compares (cached with the token). A token of this application's own private
    // signing key was issued on this application's clock; any other issuer (a JWKS or verification-only key, a
    // shared secret) may run up to ClockSkew ahead — its iat is accepted that far in the future — so its token
    // counts as issued that much earlier, and one minted just before a revocation cannot pass it.
    private static DateTimeOffset? RevocationIssuedAt(JsonWebToken jwt, RampartAuthenticationOptions options)
    {
        bool own = options.SigningKey is { CanSign: true, Key: AsymmetricSecurityKey key } && ReferenceEquals(jwt.SigningKey, key);
        return own ? IssuedAt(jwt) : IssuedAt(jwt) - options.ClockSkew;
    }

    // IdentityModel's own lifetime check reads the system clock; this one reads the registered TimeProvider
    // and throws the same exception types.
    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
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

    // The key named by kid whose algorithm is the token's. A token without a kid header (many issuers write
    // none) gets the one key there is, when exactly one is known (configured and fetched together) and its
    // algorithm is the token's; with several keys it gets none (which one would be a guess). IdentityModel
    // hands an absent kid over as an empty string, so absence is read from the header itself: "kid": "" is a
    // kid that names no key. Never every key in turn: an unknown kid fails at once.
    private static IEnumerable<SecurityKey> ResolveKey(RampartSigningKey[] keys, SecurityToken token, string? kid)
    {
        var jwt = token as JsonWebToken;
        string? algorithm = jwt?.Alg;
        if (jwt is not null && !jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Kid, out _))
        {
            return keys.Length == 1 && string.Equals(keys[0].Algorithm, algorithm, StringComparison.Ordinal) ? [keys[0].Key] : [];
        }

        foreach (var key in keys)
        {
            if (string.Equals(key.Id, kid, StringComparison.Ordinal) && string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
            {
                return [key.Key];
            }
        }

        return [];
    }

    private static string? CheckValidated(ClaimsPrincipal? principal, SecurityToken token, RampartAuthenticationOptions options, TimeProvider time)
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

    // Manual reads keep configuration binding free of reflection (Native AOT, trimming).
    private static void ReadInto(IConfigurationSection section, RampartAuthenticationOptions options)
    {
        if (section["Issuer"] is { } issuer)
        {
            options.Issuer = issuer;
        }

        if (section["Audience"] is { } audience)
        {
            options.Audiences.Add(audience);
        }

        foreach (var child in section.GetSection("Audiences").GetChildren())
        {
            if (child.Value is { } value)
            {
                options.Audiences.Add(value);
            }
        }

        var types = section.GetSection("ValidTypes").GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        if (types.Length > 0)
        {
            options.ValidTypes.Clear();
            foreach (string type in types)
            {
                options.ValidTypes.Add(type);
            }
        }

        if (ReadSeconds(section, "ClockSkewSeconds") is { } skew)
        {
            options.ClockSkew = skew;
        }

        if (ReadSeconds(section, "MaxTokenAgeSeconds") is { } age)
        {
            options.MaxTokenAge = age;
        }

        if (ReadSeconds(section, "RefreshTokenLifetimeSeconds") is { } refreshLifetime)
        {
            options.RefreshTokenLifetime = refreshLifetime;
        }

        if (ReadSeconds(section, "AccessTokenLifetimeSeconds") is { } lifetime)
        {
            options.AccessTokenLifetime = lifetime;
        }

        if (ReadBoolean(section, "EnableValidatedTokenCache") is { } enableCache)
        {
            options.EnableValidatedTokenCache = enableCache;
        }

        if (ReadInt32(section, "ValidatedTokenCacheSize") is { } cacheSize)
        {
            options.ValidatedTokenCacheSize = cacheSize;
        }

        if (ReadInt32(section, "MaxTokenLength") is { } maxLength)
        {
            options.MaxTokenLength = maxLength;
        }

        if (section["JwksUri"] is { Length: > 0 } jwksUri)
        {
            options.JwksUri = ReadUri(jwksUri, "JwksUri");
        }

        if (section["Authority"] is { Length: > 0 } authority)
        {
            options.Authority = ReadUri(authority, "Authority");
        }

        if (ReadSeconds(section, "JwksRefreshIntervalSeconds") is { } jwksRefresh)
        {
            options.JwksRefreshInterval = jwksRefresh;
        }

        if (ReadSeconds(section, "JwksUnknownKeyRefreshIntervalSeconds") is { } jwksUnknown)
        {
            options.JwksUnknownKeyRefreshInterval = jwksUnknown;
        }

        if (ReadBoolean(section, "AllowHttpJwksOnLoopback") is { } allowHttp)
        {
            options.AllowHttpJwksOnLoopback = allowHttp;
        }

        if (section["SigningKeyId"] is { } signingKeyId)
        {
            options.SigningKeyId = signingKeyId;
        }

        foreach (var key in section.GetSection("Keys").GetChildren())
        {
            options.Keys.Add(ReadKey(key));
        }
    }

    private static RampartSigningKey ReadKey(IConfigurationSection key)
    {
        string id = key["Id"] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{SectionName}:Keys:{key.Key}:Id is required (the key's 'kid').");
        string? algorithm = key["Algorithm"];
        string? secret = key["Secret"];
        string? pem = key["PrivateKeyPem"] ?? key["PublicKeyPem"];
        if ((secret is null) == (pem is null))
        {
            throw new InvalidOperationException(
                $"{SectionName}:Keys:{key.Key}: set exactly one of Secret (base64, HS256/384/512), PrivateKeyPem or PublicKeyPem.");
        }

        if (secret is not null)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(secret);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{SectionName}:Keys:{key.Key}:Secret must be base64 (e.g. 32 random bytes from a CSPRNG).");
            }

            return RampartSigningKey.FromSecret(id, bytes, algorithm ?? SecurityAlgorithms.HmacSha256);
        }

        return RampartSigningKey.FromPem(id, pem!, algorithm);
    }

    private static Uri ReadUri(string text, string key) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Configuration value {SectionName}:{key} must be an absolute https address.");

    private static TimeSpan? ReadSeconds(IConfigurationSection section, string key) =>
        ReadInt32(section, key) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static bool? ReadBoolean(IConfigurationSection section, string key) =>
        section[key] is not { } text ? null
        : bool.TryParse(text, out bool value) ? value
        : throw new InvalidOperationException($"Configuration value {SectionName}:{key} must be true or false.");

    private static int? ReadInt32(IConfigurationSection section, string key)
    {
        string? text = section[key];
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidOperationException($"Configuration value {SectionName}:{key} must be a whole number.");
    }
}
