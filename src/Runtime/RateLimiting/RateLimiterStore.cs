using System;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>
/// Brings your own <see cref="PartitionedRateLimiter{TResource}"/> (System.Threading.RateLimiting)
/// as the store of Rampart's generated endpoints: the limiter decides, Rampart keeps the partitioning,
/// the headers and the 429 problem. The endpoint's declared policy is not consulted — the limiter's
/// own configuration is the policy — but its name and limit still label the response headers.
/// </summary>
public sealed class RateLimiterStore : IRateLimitStore
{
    private readonly PartitionedRateLimiter<PartitionKey> _limiter;

    /// <summary>Wraps <paramref name="limiter"/>.</summary>
    public RateLimiterStore(PartitionedRateLimiter<PartitionKey> limiter) =>
        _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using RateLimitLease lease = _limiter.AttemptAcquire(key);
        int limit = policy.Rules[0].Limit;
        if (lease.IsAcquired)
        {
            long available = _limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 0;
            return new(new RateLimitDecision(true, 0, limit, (int)Math.Clamp(available, 0, int.MaxValue), policy.Rules[0].Window, TimeSpan.Zero));
        }

        TimeSpan retry = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : TimeSpan.FromSeconds(1);
        return new(new RateLimitDecision(false, 0, limit, 0, retry, retry));
    }
}
