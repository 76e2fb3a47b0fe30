using System;
using Rampart.RateLimiting;

namespace Rampart.Redis;

/// <summary>Options of <see cref="RedisRateLimitStore"/>.</summary>
public sealed class RedisRateLimitOptions
{
    /// <summary>The Redis connection string (StackExchange.Redis format).</summary>
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>The prefix of every key.</summary>
    public string KeyPrefix { get; set; } = "rampart:rl:";

    /// <summary>How long a decision may wait for Redis before the outage policy applies.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Refuse requests with 503 while Redis is down, instead of limiting per instance.</summary>
    public bool FailClosed { get; set; }

    /// <summary>After a failed call, how long decisions stay local before Redis is tried again.</summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest interval between two outage events in the log.</summary>
    public TimeSpan OutageLogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The budgets of the networks new address partitions are counted against (as in the in-memory store).</summary>
    public NetworkBudgetOptions Networks { get; } = new();
}
