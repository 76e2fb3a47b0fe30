using System;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rampart.Authorization;
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
        builder.Services.AddSingleton<IConfigureOptions<RampartOptions>>(new RampartSection(builder.Configuration.GetSection(RampartSection.Path)));
        builder.Services.AddRampart(configure);
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, AspNetCoreOptionsSetup>();
        return builder;
    }

    /// <summary>Adds Rampart's services, configured by <paramref name="configure"/>. Unsafe options fail at start-up.</summary>
    public static IServiceCollection AddRampart(this IServiceCollection services, Action<RampartOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RampartOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RampartOptions>>(RampartOptionsValidator.Instance));
        services.AddRequestTimeouts();
        services.AddSingleton<IConfigureOptions<RequestTimeoutOptions>, AspNetCoreOptionsSetup>();
        services.AddSingleton(RampartRuntime.Create);
        services.AddAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, FallbackAuthorizationResultHandler>();
        services.AddSingleton<IConfigureOptions<AuthorizationOptions>, AspNetCoreOptionsSetup>();
        return services;
    }

    /// <summary>
    /// Adds Rampart's middleware: security headers on every response, every error status without a body becomes
    /// RFC 9457 problem details, an unhandled exception becomes a 500 problem with a trace id and nothing else,
    /// request timeouts and, outside Development, the refusal of plain HTTP. The order and why:
    /// <c>Rampart.Hosting.RampartPipeline</c> (docs/architecture.md, "The request pipeline").
    /// </summary>
    public static IApplicationBuilder UseRampart(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RampartPipeline.UseRampart(app);
        return app;
    }
}
