using System.Diagnostics.Metrics;

namespace Rampart.RateLimiting;

/// <summary>Rate-limit counters on the <c>Rampart</c> meter, for dashboards and alerts.</summary>
public static class RateLimitMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Rampart";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Requests refused with 429.</summary>
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("rampart.rate_limit.rejected", description: "Requests refused by a rate limit.");

    /// <summary>Anonymous partitions whose state the in-memory store forgot while still in use, because its table was full (pressure).</summary>
    public static readonly Counter<long> Evicted = Meter.CreateCounter<long>("rampart.rate_limit.evicted", description: "Active anonymous rate-limit partitions evicted from a full in-memory table.");

    /// <summary>Decisions for authenticated subjects made on the shared overflow bucket, because their part of the table was full.</summary>
    public static readonly Counter<long> Overflowed = Meter.CreateCounter<long>("rampart.rate_limit.overflowed", description: "Rate-limit decisions of authenticated subjects made on the shared overflow bucket.");

    /// <summary>Requests refused before their token was validated, because their address spent its budget of failed authentications.</summary>
    public static readonly Counter<long> AuthenticationFailuresLimited = Meter.CreateCounter<long>("rampart.rate_limit.authentication_failures_limited", description: "Requests refused because their address spent its budget of failed authentications.");

    /// <summary>Decisions a distributed store could not make (outage), answered by the fallback or refused.</summary>
    public static readonly Counter<long> StoreFailures = Meter.CreateCounter<long>("rampart.rate_limit.store_failures", description: "Rate-limit decisions the distributed store could not make.");
}
