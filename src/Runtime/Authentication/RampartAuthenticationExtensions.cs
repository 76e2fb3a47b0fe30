using System;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Authentication;
using Rampart.Hosting;

// ASP.NET Core convention: hosting extensions live in the namespaces of the types they extend.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and enables Rampart's hardened bearer-token authentication.</summary>
public static class RampartAuthenticationExtensions
{
    /// <summary>The configuration section read by <see cref="AddRampartAuthentication(WebApplicationBuilder, Action{RampartAuthenticationOptions}?)"/>.</summary>
    public const string SectionName = RampartAuthenticationSection.Path;

    /// <summary>The default path of <see cref="MapRampartJwks"/>.</summary>
    public const string DefaultJwksPath = "/.well-known/jwks.json";

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
        AddStores(builder.Services, section, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton<IConfigureOptions<RampartAuthenticationOptions>>(new RampartAuthenticationSection(section));
        AddProfile(builder.Services, configure);

        // A configuration reload rebuilds the profile (keys included) and so clears the validated-token cache.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(
            new ConfigurationChangeTokenSource<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, section));
        return builder;
    }

    // The revocation and refresh-token stores of the section's Store and ConnectionString, read when first
    // resolved (so configuration added after this call counts). Stores registered before this call (e.g. the
    // Redis deny-list) win.
    private static void AddStores(IServiceCollection services, IConfigurationSection section, string contentRoot)
    {
        services.AddOptions<TokenStoreOptions>().Bind(section).Validate(static o => o.IsValid, TokenStoreOptions.InvalidStore);
        services.TryAddSingleton<ITokenRevocationStore>(sp => StoreOptions(sp).SqliteConnectionString(contentRoot) is { } connectionString
            ? new SqliteTokenRevocationStore(connectionString, sp.GetService<TimeProvider>())
            : new InMemoryTokenRevocationStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IRefreshTokenStore>(sp => StoreOptions(sp).SqliteConnectionString(contentRoot) is { } connectionString
            ? new SqliteRefreshTokenStore(connectionString, sp.GetService<TimeProvider>())
            : new InMemoryRefreshTokenStore(sp.GetService<TimeProvider>()));

        static TokenStoreOptions StoreOptions(IServiceProvider services) => services.GetRequiredService<IOptions<TokenStoreOptions>>().Value;
    }

    /// <summary>Adds Rampart's hardened bearer-token authentication, configured by <paramref name="configure"/> only.</summary>
    public static IServiceCollection AddRampartAuthentication(this IServiceCollection services, Action<RampartAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddProfile(services, configure);
        return services;
    }

    private static void AddProfile(IServiceCollection services, Action<RampartAuthenticationOptions>? configure)
    {
        var options = services.AddOptions<RampartAuthenticationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RampartAuthenticationOptions>>(RampartAuthenticationOptionsValidator.Instance));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ValidatedTokenCache(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SigningKeyRing(sp.GetRequiredService<ValidatedTokenCache>()));
        services.TryAddSingleton(sp => new JwksKeySource(sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
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
            sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IRefreshTokenValidator>()));

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, HardenJwtBearerOptions>());
    }

    /// <summary>
    /// Authenticates every request with the hardened profile: call after <c>UseRampart()</c> (so errors
    /// carry the security headers) and before the endpoints. A presented token that fails any check is
    /// answered with 401 here, on every endpoint. Resolves the options now, so unsafe ones fail at start-up.
    /// ASP.NET Core's authorization middleware follows directly, so the fallback policy set by <c>AddRampart()</c>
    /// sees the authenticated caller and its 401s carry the security headers and problem details. The order and
    /// why: <c>Rampart.Hosting.RampartPipeline</c> (docs/architecture.md, "The request pipeline").
    /// </summary>
    public static IApplicationBuilder UseRampartAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RampartPipeline.UseAuthentication(app);
        return app;
    }

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
}
