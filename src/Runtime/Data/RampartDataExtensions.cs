using System;
using System.Data.Common;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Data;

// ASP.NET Core convention: hosting extensions live in the namespaces of the types they extend.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers Rampart's data access: the database, its data source and start-up migrations.</summary>
public static class RampartDataExtensions
{
    /// <summary>
    /// Adds data access configured from the <c>Rampart:Data</c> section (SQLite under <c>App_Data</c> unless
    /// <c>Provider</c> is <c>PostgreSql</c> with a <c>ConnectionString</c>), then <paramref name="configure"/>.
    /// </summary>
    public static WebApplicationBuilder AddRampartData(this WebApplicationBuilder builder, Action<RampartDataOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IConfigurationSection section = builder.Configuration.GetSection("Rampart:Data");
        builder.Services.AddRampartData(options =>
        {
            ReadInto(section, options);
            configure?.Invoke(options);
        });
        return builder;
    }

    /// <summary>
    /// Adds <see cref="RampartDatabase"/> (and its <see cref="DbDataSource"/>) as singletons, and a start-up step
    /// that applies the migrations of <see cref="RampartDataOptions.MigrationsDirectory"/> before the server listens.
    /// </summary>
    public static IServiceCollection AddRampartData(this IServiceCollection services, Action<RampartDataOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RampartDataOptions>().Configure(options => configure?.Invoke(options));
        services.AddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<RampartDataOptions>>().Value;
            string contentRoot = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            return RampartDatabase.Create(options, contentRoot);
        });
        services.AddSingleton<DbDataSource>(static provider => provider.GetRequiredService<RampartDatabase>().DataSource);
        services.AddHostedService<MigrationService>();
        return services;
    }

    private static void ReadInto(IConfigurationSection section, RampartDataOptions options)
    {
        if (section["Provider"] is { Length: > 0 } provider)
        {
            options.Provider = Enum.TryParse<DataProvider>(provider, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Rampart:Data:Provider '{provider}' is not one of Sqlite, PostgreSql.");
        }

        options.ConnectionString = section["ConnectionString"] is { Length: > 0 } cs ? cs : options.ConnectionString;
        options.DataDirectory = section["DataDirectory"] is { Length: > 0 } dir ? dir : options.DataDirectory;
        options.MigrationsDirectory = section["MigrationsDirectory"] is { Length: > 0 } migrations ? migrations : options.MigrationsDirectory;
        if (section["SqliteRelaxedDurability"] is { Length: > 0 } relaxed)
        {
            options.SqliteRelaxedDurability = bool.Parse(relaxed);
        }

        if (section["CommandTimeoutSeconds"] is { Length: > 0 } timeout)
        {
            options.CommandTimeoutSeconds = int.Parse(timeout, NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    // Runs in StartingAsync, before any hosted service starts (the web server included), so no request
    // meets an old schema.
    private sealed class MigrationService(RampartDatabase database, IOptions<RampartDataOptions> options, ILogger<MigrationService> logger) : IHostedLifecycleService
    {
        public async Task StartingAsync(CancellationToken cancellationToken)
        {
            if (options.Value.MigrationsDirectory is not { Length: > 0 } folder)
            {
                return;
            }

            string path = Path.GetFullPath(folder, AppContext.BaseDirectory);
            await RampartMigrations.ApplyAsync(database, path, logger, cancellationToken).ConfigureAwait(false);
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
