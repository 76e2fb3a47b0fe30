using System;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rampart.Errors;
using Rampart.Hosting;

// ASP.NET Core convention: hosting extensions live in the namespaces of the types they extend.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and enables Rampart in an ASP.NET Core application.</summary>
public static class RampartHostingExtensions
{
    /// <summary>
    /// Adds Rampart's services with options read from the <c>Rampart</c> configuration section,
    /// then applies <paramref name="configure"/>. Unsafe options fail at start-up.
    /// </summary>
    public static WebApplicationBuilder AddRampart(this WebApplicationBuilder builder, Action<RampartOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IConfigurationSection section = builder.Configuration.GetSection("Rampart");
        builder.Services.AddRampart(options =>
        {
            ReadInto(section, options);
            configure?.Invoke(options);
        });

        // Kestrel: no Server header (it names the stack to attackers), and the body limit of
        // every endpoint, Rampart's or not, no larger than Rampart's.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RampartOptions>>((kestrel, rampart) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = rampart.Value.MaxRequestBodyBytes;
        });
        return builder;
    }

    /// <summary>Adds Rampart's services, configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddRampart(this IServiceCollection services, Action<RampartOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RampartOptions>().Configure(options => configure?.Invoke(options));
        // A slow or stuck request cannot hold its resources forever.
        services.AddRequestTimeouts();
        services.AddOptions<Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutOptions>().Configure<IOptions<RampartOptions>>((timeouts, rampart) =>
            timeouts.DefaultPolicy = new Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutPolicy
            {
                Timeout = rampart.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });
        services.AddSingleton(RampartRuntime.Create);

        // Secure by default beyond Rampart's own endpoints: anything else the application maps
        // requires an authenticated caller unless it says .AllowAnonymous() (or the option is turned off).
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Rampart.Authorization.FallbackAuthorizationResultHandler>();
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>().Configure<IOptions<RampartOptions>>((authorization, rampart) =>
        {
            if (rampart.Value.Authorization.RequireAuthenticatedUserByDefault && authorization.FallbackPolicy is null)
            {
                authorization.FallbackPolicy = Rampart.Authorization.AuthenticatedOutsideRampartRequirement.Policy;
            }
        });
        return services;
    }

    /// <summary>
    /// Adds Rampart's middleware: security headers on every response, every error status without a body becomes RFC 9457 problem details
    /// and an unhandled exception becomes a 500 problem with a trace id and nothing else.
    /// </summary>
    public static IApplicationBuilder UseRampart(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Resolve now so invalid options fail at start-up rather than on the first request.
        var runtime = RampartRuntime.From(app.ApplicationServices);

        // Headers first, so that every response carries them — errors written further down included.
        if (runtime.Options.SecurityHeaders is null)
        {
            // The default policy, from constant values (the same headers as RampartSecurityHeaders.CreateDefault()).
            app.UseMiddleware<Rampart.Headers.DefaultSecurityHeadersMiddleware>();
        }
        else
        {
            var headers = Rampart.Headers.RampartSecurityHeaders.CreateDefault();
            runtime.Options.SecurityHeaders(headers);
            app.UseSecurityHeaders(headers);
        }
        app.UseMiddleware<ProblemDetailsMiddleware>();

        // ASP.NET Core's request timeouts, with a pooled path for generated endpoints (RequestTimeoutMiddleware).
        app.Use(next =>
        {
            var aspNetCore = app.New();
            aspNetCore.UseRequestTimeouts();
            aspNetCore.Run(next);
            var timeouts = new RequestTimeoutMiddleware(
                next,
                aspNetCore.Build(),
                app.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutOptions>>().Value,
                app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RequestTimeoutMiddleware>>());
            return timeouts.InvokeAsync;
        });

        bool development = app.ApplicationServices.GetService<IHostEnvironment>()?.IsDevelopment() == true;
        if (runtime.Options.RequireHttps ?? !development)
        {
            app.UseMiddleware<Rampart.Https.HttpsOnlyMiddleware>();
        }

        UseAuthorizationOutsideRampart(app);
        return app;
    }

    // The key of Microsoft.AspNetCore.Builder.AuthorizationAppBuilderExtensions (internal there), which
    // WebApplication also reads: when it is absent, WebApplication adds UseAuthorization() at the start of the pipeline.
    internal const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    // Rampart's own value for that key, told apart by reference from the `true` every UseAuthorization() writes.
    private static readonly object AuthorizationSetByUseRampart = true;

    /// <summary>
    /// ASP.NET Core's authorization middleware (the fallback policy AddRampart installs and the application's
    /// own policies) for every endpoint mapped outside Rampart. Generated endpoints authorize themselves inline
    /// (rate limit, 401, 403 with security events); through the middleware they would also pay for the fallback
    /// policy on every request (a policy evaluator, an authentication result, a handler context: ~1 KB), so
    /// it does not run for them. Without this, WebApplication would add the middleware for every endpoint, and
    /// at the very start of the pipeline, where its 401s miss the security headers and problem details.
    /// If the application adds the middleware itself (UseAuthorization() or UseRampartAuthentication(), before or
    /// after UseRampart()), that one is the application's choice of position and this one is left out.
    /// </summary>
    private static void UseAuthorizationOutsideRampart(IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider>() is null
            || app.Properties.ContainsKey(AuthorizationMiddlewareSetKey))
        {
            return;
        }

        app.Properties[AuthorizationMiddlewareSetKey] = AuthorizationSetByUseRampart;
        app.Use(next =>
        {
            // Decided when the pipeline is built, after every Use call: a later UseAuthorization() has replaced the value.
            if (!ReferenceEquals(app.Properties.TryGetValue(AuthorizationMiddlewareSetKey, out object? set) ? set : null, AuthorizationSetByUseRampart))
            {
                return next;
            }

            return AuthorizeWhereNeeded(app, next);
        });
    }

    /// <summary>ASP.NET Core's authorization middleware in front of <paramref name="next"/>, for the requests <see cref="NeedsAuthorizationMiddleware"/> selects.</summary>
    internal static RequestDelegate AuthorizeWhereNeeded(IApplicationBuilder app, RequestDelegate next)
    {
        var branch = app.New();
        branch.UseAuthorization();
        branch.Run(next);
        RequestDelegate authorize = branch.Build();
        // No endpoint (routing runs later, or nothing matched) goes through the middleware too, as before.
        return context => NeedsAuthorizationMiddleware(context) ? authorize(context) : next(context);
    }

    /// <summary>
    /// False only for a generated endpoint without authorization metadata of the application's: generated endpoints
    /// authorize inline, but a policy added to one (e.g. <c>RequireAuthorization</c> on the route group it is mapped in)
    /// is ASP.NET Core's to enforce, and without the middleware its endpoint routing would refuse the request (500).
    /// </summary>
    internal static bool NeedsAuthorizationMiddleware(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata is null
            || metadata.GetMetadata<SecureEndpointMetadata>() is null
            || metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
            || metadata.GetMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>() is not null
            || metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizationRequirementData>() is not null;
    }

    // Manual reads keep configuration binding free of reflection (Native AOT, trimming).
    private static void ReadInto(IConfigurationSection section, RampartOptions options)
    {
        options.MaxRequestBodyBytes = ReadInt32(section, nameof(RampartOptions.MaxRequestBodyBytes), (int)options.MaxRequestBodyBytes);
        options.MaxJsonDepth = ReadInt32(section, nameof(RampartOptions.MaxJsonDepth), options.MaxJsonDepth);
        options.DefaultMaxStringLength = ReadInt32(section, nameof(RampartOptions.DefaultMaxStringLength), options.DefaultMaxStringLength);
        options.DefaultMaxCollectionLength = ReadInt32(section, nameof(RampartOptions.DefaultMaxCollectionLength), options.DefaultMaxCollectionLength);
        if (section["RequestTimeoutSeconds"] is not null)
        {
            options.RequestTimeout = TimeSpan.FromSeconds(ReadInt32(section, "RequestTimeoutSeconds", 30));
        }

        if (section[nameof(RampartOptions.DefaultRateLimit)] is { } defaultRateLimit)
        {
            options.DefaultRateLimit = defaultRateLimit;
        }

        if (section[nameof(RampartOptions.FailedAuthenticationLimit)] is { } failedAuthenticationLimit)
        {
            options.FailedAuthenticationLimit = failedAuthenticationLimit;
        }

        if (section[nameof(RampartOptions.RequireHttps)] is { } requireHttps)
        {
            options.RequireHttps = ReadBoolean("RequireHttps", requireHttps);
        }

        IConfigurationSection authorization = section.GetSection("Authorization");
        options.Authorization.ScopeClaim = authorization["ScopeClaim"] ?? options.Authorization.ScopeClaim;
        options.Authorization.PermissionsClaim = authorization["PermissionsClaim"] ?? options.Authorization.PermissionsClaim;
        if (authorization["RequireAuthenticatedUserByDefault"] is { } fallback)
        {
            options.Authorization.RequireAuthenticatedUserByDefault = ReadBoolean("Authorization:RequireAuthenticatedUserByDefault", fallback);
        }
    }

    private static bool ReadBoolean(string key, string text) =>
        bool.TryParse(text, out bool value)
            ? value
            : throw new InvalidOperationException($"Configuration value Rampart:{key} must be true or false.");

    // Range checks happen in RampartOptions.Validate; here the text must be a 32-bit whole number.
    private static int ReadInt32(IConfigurationSection section, string key, int fallback)
    {
        string? text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw new InvalidOperationException($"Configuration value Rampart:{key} must be a whole number between {int.MinValue} and {int.MaxValue}.");
        }

        return value;
    }
}
