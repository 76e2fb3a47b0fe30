using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orders.Development;
using Rampart.Authentication;

namespace Orders.Auth;

/// <summary>Registers the sample's login: users, and Rampart's revocation and refresh-token stores, in <c>orders.db</c>.</summary>
internal static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Users, the jti deny-list and refresh tokens in one SQLite database: <c>ConnectionStrings:Orders</c>,
    /// default <c>orders.db</c> in the data folder (<c>Orders:DataPath</c>, default <c>App_Data</c>).
    /// </summary>
    public static IServiceCollection AddOrdersAuth(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new UserStore(ConnectionString(sp)));
        services.Replace(ServiceDescriptor.Singleton<ITokenRevocationStore>(sp => new SqliteTokenRevocationStore(ConnectionString(sp), sp.GetService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<IRefreshTokenStore>(sp => new SqliteRefreshTokenStore(ConnectionString(sp), sp.GetService<TimeProvider>())));
        return services;
    }

    /// <summary>
    /// Development only: adds the users of <c>Orders:SeedUsers</c> (UserName, Password, Scope) that do not
    /// exist yet. Passwords come from user secrets or the environment, never from a committed file; a
    /// user without one is skipped.
    /// </summary>
    public static async Task SeedDevelopmentUsersAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        var users = app.Services.GetRequiredService<UserStore>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.Auth");
        foreach (var seed in app.Configuration.GetSection("Orders:SeedUsers").GetChildren())
        {
            string? name = seed["UserName"];
            string? password = seed["Password"];
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
            {
                logger.LogWarning("Development user {UserName} not seeded: set Orders:SeedUsers:{Index}:Password (user secrets or environment)", name ?? "(unnamed)", seed.Key);
                continue;
            }

            await users.AddIfMissingAsync(name, password, seed["Scope"] ?? "", default);
        }
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
}
