using System;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>The connection the Redis stores share: one multiplexer per application, created on first use.</summary>
internal static class RedisConnection
{
    /// <summary>
    /// Connects without waiting for Redis (the application starts while it is down; the stores' outage policy
    /// applies meanwhile), with <paramref name="timeout"/> bounding each call.
    /// </summary>
    public static IConnectionMultiplexer Connect(string connectionString, TimeSpan timeout)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)Math.Max(timeout.TotalMilliseconds, 1000);
        configuration.AsyncTimeout = (int)Math.Max(timeout.TotalMilliseconds, 100);
        configuration.SyncTimeout = configuration.AsyncTimeout;
        return ConnectionMultiplexer.Connect(configuration);
    }
}
