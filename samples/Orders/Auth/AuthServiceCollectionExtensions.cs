using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orders.Development;
using Rampart.Authentication;

namespace Orders.Auth;

/// <summary>
/// Registers the sample's login: users in the application database (<see cref="UserStore"/>, next to the
/// orders), Rampart's revocation and refresh-token stores in <c>orders.db</c>, and the Development seed users.
/// </summary>
internal static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Users in the <see cref="Rampart.Data.RampartDatabase"/> of <c>AddRampartData</c> (SQLite or PostgreSQL,
    /// table created by Migrations/0002_users.sql); the jti deny-list and refresh tokens in one SQLite database:
    /// <c>ConnectionStrings:Orders</c>, default <c>orders.db</c> in the data folder (<c>Orders:DataPath</c>,
    /// default <c>App_Data</c>).
    /// </summary>
    public static IServiceCollection AddOrdersAuth(this IServiceCollection services)
    {
        services.TryAddSingleton<UserStore>();
        services.AddRampartAccountThrottle();   // guesses at one account from many addresses: 5 attempts, then a doubling lock
        // Every refresh checks the user again: still there, enabled, and holding the permissions of the login.
        services.TryAddSingleton<IRefreshTokenValidator, UserRefreshValidator>();
        services.Replace(ServiceDescriptor.Singleton<ITokenRevocationStore>(sp => new SqliteTokenRevocationStore(ConnectionString(sp), sp.GetService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<IRefreshTokenStore>(sp => new SqliteRefreshTokenStore(ConnectionString(sp), sp.GetService<TimeProvider>())));
        services.AddHostedService<DevelopmentUserSeeder>();
        return services;
    }

    private static string ConnectionString(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (configuration.GetConnectionString("Orders") is { Length: > 0 } configured)
        {
            return configured;
        }

        string dataPath = configuration[DevelopmentSigningKey.DataPathKey]
            ?? Path.Combine(services.GetRequiredService<IHostEnvironment>().ContentRootPath, "App_Data");
        Directory.CreateDirectory(dataPath);
        return "Data Source=" + Path.Combine(dataPath, "orders.db");
    }

    /// <summary>
    /// Development only: adds the users of <c>Orders:SeedUsers</c> (UserName, Password, Scope) that do not
    /// exist yet. Passwords come from user secrets or the environment, never from a committed file; a
    /// user without one is skipped. Runs in <see cref="StartAsync"/>, after the migrations (applied in
    /// <c>StartingAsync</c>) have created <c>auth_users</c>.
    /// </summary>
    private sealed class DevelopmentUserSeeder(IHostEnvironment environment, IConfiguration configuration, UserStore users, ILoggerFactory loggers) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!environment.IsDevelopment())
            {
                return;
            }

            var logger = loggers.CreateLogger("Orders.Auth");
            foreach (var seed in configuration.GetSection("Orders:SeedUsers").GetChildren())
            {
                string? name = seed["UserName"];
                string? password = seed["Password"];
                if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
                {
                    logger.LogWarning("Development user {UserName} not seeded: set Orders:SeedUsers:{Index}:Password (user secrets or environment)", name ?? "(unnamed)", seed.Key);
                    continue;
                }

                await users.AddIfMissingAsync(name, password, seed["Scope"] ?? "", cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
