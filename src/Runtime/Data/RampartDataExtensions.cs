using System;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rampart.Data;

// ASP.NET Core convention: hosting extensions live in the namespaces of the types they extend.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers Rampart's data access: the database, its data source and start-up migrations.</summary>
public static class RampartDataExtensions
{
    /// <summary>The configuration section bound by <see cref="AddRampartData(WebApplicationBuilder, Action{RampartDataOptions}?)"/>.</summary>
    public const string SectionName = "Rampart:Data";

    /// <summary>
    /// Adds data access configured from the <c>Rampart:Data</c> section (SQLite under <c>App_Data</c> unless
    /// <c>Provider</c> names another registered provider), then <paramref name="configure"/>.
    /// </summary>
    public static WebApplicationBuilder AddRampartData(this WebApplicationBuilder builder, Action<RampartDataOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RampartDataOptions>().Bind(builder.Configuration.GetSection(SectionName));
        builder.Services.AddRampartData(configure);
        return builder;
    }

    /// <summary>
    /// Adds <see cref="RampartDatabase"/> (and its <see cref="DbDataSource"/>) as singletons on the provider
    /// <see cref="RampartDataOptions.Provider"/> names (SQLite is registered here), and a start-up step that
    /// applies the migrations of <see cref="RampartDataOptions.MigrationsDirectory"/> before the server listens.
    /// </summary>
    public static IServiceCollection AddRampartData(this IServiceCollection services, Action<RampartDataOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RampartDataOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RampartDataOptions>, RampartDataOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RampartDataProvider>(SqliteDataProvider.Instance));
        services.AddSingleton(static provider =>
        {
            // Validated: the provider is registered.
            var options = provider.GetRequiredService<IOptions<RampartDataOptions>>().Value;
            string contentRoot = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            return RampartDataProvider.Find(provider.GetServices<RampartDataProvider>(), options.Provider)!.CreateDatabase(options, contentRoot);
        });
        services.AddSingleton<DbDataSource>(static provider => provider.GetRequiredService<RampartDatabase>().DataSource);
        services.AddHostedService<MigrationService>();
        return services;
    }
}
