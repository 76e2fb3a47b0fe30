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

    /// <summary>Decisions a distributed store could not make (outage), answered by the fallback or refused.</summary>
    public static readonly Counter<long> StoreFailures = Meter.CreateCounter<long>("rampart.rate_limit.store_failures", description: "Rate-limit decisions the distributed store could not make.");
}
