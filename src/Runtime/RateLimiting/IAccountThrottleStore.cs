using System.Threading;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>Where <see cref="AccountThrottle"/> keeps its counts: in memory, or shared (Rampart.Redis).</summary>
public interface IAccountThrottleStore
{
    /// <summary>
    /// Refuses the attempt while <paramref name="account"/> is locked; otherwise counts it and, once the free
    /// attempts are spent, locks the account for <see cref="AccountThrottleOptions.LockoutAfter"/> the new count.
    /// </summary>
    ValueTask<AccountAttempt> BeginAttemptAsync(string account, AccountThrottleOptions options, CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="account"/> (a success).</summary>
    ValueTask ResetAsync(string account, CancellationToken cancellationToken);
}
