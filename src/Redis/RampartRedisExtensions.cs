using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rampart.RateLimiting;
using Rampart.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Rampart's Redis-backed stores.</summary>
public static class RampartRedisExtensions
{
    /// <summary>
    /// Keeps rate-limit state in Redis, shared by every instance. The application starts even when
    /// Redis is down (the outage policy applies until it is back).
    /// </summary>
    public static IServiceCollection AddRampartRedis(this IServiceCollection services, Action<RedisRateLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RedisRateLimitOptions();
        configure?.Invoke(options);
        services.TryAddSingleton<IConnectionMultiplexer>(_ =>
        {
            var configuration = ConfigurationOptions.Parse(options.ConnectionString);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = (int)Math.Max(options.Timeout.TotalMilliseconds, 1000);
            configuration.AsyncTimeout = (int)Math.Max(options.Timeout.TotalMilliseconds, 100);
            configuration.SyncTimeout = configuration.AsyncTimeout;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.AddSingleton<IRateLimitStore>(sp => new RedisRateLimitStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            options,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
