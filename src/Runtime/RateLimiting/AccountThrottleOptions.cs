using System;

namespace Rampart.RateLimiting;

/// <summary>Options of <see cref="AccountThrottle"/>.</summary>
public sealed class AccountThrottleOptions
{
    /// <summary>Attempts without a success before the first lock (default 5).</summary>
    public int FreeAttempts { get; set; } = 5;

    /// <summary>The first lock (default 1 minute); each further attempt doubles it.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest lock (default 15 minutes): a bound on how long a guesser can keep the owner out.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an account's count is kept after its last attempt (default 1 day).</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The most accounts the in-memory store keeps (default 100,000); the least recently tried are forgotten first.</summary>
    public int MaxAccounts { get; set; } = 100_000;

    /// <summary>The lock after <paramref name="attempts"/> attempts without a success (zero before the free attempts are spent).</summary>
    public TimeSpan LockoutAfter(int attempts)
    {
        if (attempts < FreeAttempts)
        {
            return TimeSpan.Zero;
        }

        int doublings = Math.Min(attempts - FreeAttempts, 30);
        long ticks = FirstLockout.Ticks << doublings;
        return ticks <= 0 || ticks > MaxLockout.Ticks ? MaxLockout : TimeSpan.FromTicks(ticks);
    }

    internal void Validate()
    {
        if (FreeAttempts < 1 || FirstLockout <= TimeSpan.Zero || MaxLockout < FirstLockout || ForgetAfter < MaxLockout || MaxAccounts < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(AccountThrottleOptions),
                "AccountThrottleOptions: FreeAttempts must be at least 1, 0 < FirstLockout <= MaxLockout <= ForgetAfter, and MaxAccounts at least 10.");
        }
    }
}
