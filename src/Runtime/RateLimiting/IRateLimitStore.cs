using System.Threading;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>
/// Where rate-limit state lives: in process (<see cref="InMemoryRateLimitStore"/>) or shared
/// (Rampart.Redis). Generated endpoints call it once per request with the endpoint's policy.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request of <paramref name="key"/> against every rule of <paramref name="policy"/>.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken);
}
