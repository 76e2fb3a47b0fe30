using System;
using System.Threading;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.RateLimiting;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>
/// The outage policy shared by the Redis rate-limit and account stores: after a failed call, decisions stay
/// local for <see cref="RedisRateLimitOptions.RetryAfterFailure"/> instead of waiting on Redis for every request;
/// each local decision is counted (<see cref="RateLimitMetrics.StoreFailures"/>) and at most one security event
/// is logged every <see cref="RedisRateLimitOptions.OutageLogInterval"/>.
/// </summary>
internal sealed class RedisOutage(IConnectionMultiplexer redis, RedisRateLimitOptions options, ILogger logger, TimeProvider time)
{
    private long _lastLog = long.MinValue / 2;
    private long _downUntil;

    /// <summary>Why Redis is not to be asked now, or null when it is.</summary>
    public string? Reason() =>
        !redis.IsConnected ? "NotConnected" : time.GetUtcNow().UtcTicks < Interlocked.Read(ref _downUntil) ? "RecentFailure" : null;

    /// <summary>True for the exceptions a Redis call fails with when Redis is unreachable or slow.</summary>
    public static bool IsOutage(Exception exception, CancellationToken cancellationToken) =>
        exception is RedisException or TimeoutException or ObjectDisposedException && !cancellationToken.IsCancellationRequested;

    /// <summary>Records a failed call: Redis is not asked again for a while.</summary>
    public void Failed() => Interlocked.Exchange(ref _downUntil, time.GetUtcNow().UtcTicks + options.RetryAfterFailure.Ticks);

    /// <summary>Counts a decision made without Redis and logs the outage (rarely).</summary>
    public void DecidedLocally(string reason)
    {
        RateLimitMetrics.StoreFailures.Add(1);
        long now = time.GetUtcNow().UtcTicks;
        long last = Interlocked.Read(ref _lastLog);
        if (now - last >= options.OutageLogInterval.Ticks && Interlocked.CompareExchange(ref _lastLog, now, last) == last)
        {
            SecurityEvents.RateLimitStoreUnavailable(logger, "Redis", reason, options.FailClosed ? "failing closed (503)" : "falling back to this instance's in-memory limits");
        }
    }
}
