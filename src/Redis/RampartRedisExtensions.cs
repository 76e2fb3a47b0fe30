using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rampart.Authentication;
using Rampart.RateLimiting;
using Rampart.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Rampart's Redis-backed stores.</summary>
public static class RampartRedisExtensions
{
    /// <summary>
    /// Keeps rate-limit state in Redis, shared by every instance, and the counts of the account throttle
    /// (<c>AddRampartAccountThrottle</c>) too. The application starts even when Redis is down (the outage
    /// policy applies until it is back).
    /// </summary>
    public static IServiceCollection AddRampartRedis(this IServiceCollection services, Action<RedisRateLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RedisRateLimitOptions();
        configure?.Invoke(options);
        AddMultiplexer(services, options.ConnectionString, options.Timeout);
        services.AddSingleton<IRateLimitStore>(sp => new RedisRateLimitStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            options,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.Replace(ServiceDescriptor.Singleton<IAccountThrottleStore>(sp => new RedisAccountThrottleStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            options,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        return services;
    }

    /// <summary>
    /// Keeps the access-token revocation deny-list in Redis, shared by every instance; entries expire with
    /// their tokens. Replaces the default store. A Redis failure refuses the request with 503 (fail closed).
    /// </summary>
    public static IServiceCollection AddRampartRedisTokenRevocation(this IServiceCollection services, Action<RedisTokenRevocationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RedisTokenRevocationOptions();
        configure?.Invoke(options);
        AddMultiplexer(services, options.ConnectionString, options.Timeout);
        services.Replace(ServiceDescriptor.Singleton<ITokenRevocationStore>(sp => new RedisTokenRevocationStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<TimeProvider>())));
        return services;
    }

    // One multiplexer per application, shared by the Redis stores; the first registration's settings win.
    private static void AddMultiplexer(IServiceCollection services, string connectionString, TimeSpan timeout) =>
        services.TryAddSingleton<IConnectionMultiplexer>(_ => RedisConnection.Connect(connectionString, timeout));
}
