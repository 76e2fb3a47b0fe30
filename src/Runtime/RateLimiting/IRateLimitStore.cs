using System.Threading;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>
/// Where rate-limit state lives: in process (<see cref="InMemoryRateLimitStore"/>) or shared
/// (Rampart.Redis). Generated endpoints call it once per request with the endpoint's policy.
/// </summary>
/// <remarks>
/// Both built-in stores count a new address partition against its networks (<see cref="PartitionKey.GetNetwork"/>,
/// <see cref="NetworkBudgetOptions"/>) and report a refusal by a network in <see cref="RateLimitDecision.NetworkPrefixLength"/>;
/// a store of your own should bound its memory the same way or by expiry.
/// </remarks>
public interface IRateLimitStore
{
    /// <summary>Counts one request of <paramref name="key"/> against every rule of <paramref name="policy"/>.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken);
}
