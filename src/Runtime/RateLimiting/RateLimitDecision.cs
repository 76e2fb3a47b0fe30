using System;

namespace Rampart.RateLimiting;

/// <summary>
/// The outcome of one rate-limit check, with what the <c>RateLimit</c> and <c>Retry-After</c>
/// headers need. For a rejection, <see cref="RuleIndex"/> names the violated rule.
/// </summary>
public readonly struct RateLimitDecision
{
    /// <summary>Creates a decision.</summary>
    public RateLimitDecision(bool allowed, int ruleIndex, int limit, int remaining, TimeSpan resetAfter, TimeSpan retryAfter)
    {
        IsAllowed = allowed;
        RuleIndex = ruleIndex;
        Limit = limit;
        _remaining = remaining;
        _headroom = 0;
        _interval = 0;
        ResetAfter = resetAfter;
        RetryAfter = retryAfter;
    }

    // An allowed decision whose remaining quota is computed only if someone asks (the division is
    // the most expensive step of a decision, and most callers need it only for a header).
    internal RateLimitDecision(int ruleIndex, int limit, long headroomTicks, long intervalTicks, TimeSpan resetAfter)
    {
        IsAllowed = true;
        RuleIndex = ruleIndex;
        Limit = limit;
        _remaining = 0;
        _headroom = headroomTicks;
        _interval = intervalTicks;
        ResetAfter = resetAfter;
        RetryAfter = TimeSpan.Zero;
    }

    private readonly int _remaining;
    private readonly long _headroom;
    private readonly long _interval;

    /// <summary>
    /// The decision of a store that could not decide (a distributed store that is down and
    /// configured to fail closed): the request is refused with 503.
    /// </summary>
    public static RateLimitDecision Unavailable { get; } = new(false, -1, 0, 0, TimeSpan.Zero, TimeSpan.FromSeconds(1));

    /// <summary>True when the store could not decide (see <see cref="Unavailable"/>).</summary>
    public bool IsUnavailable => !IsAllowed && RuleIndex < 0;

    /// <summary>True when the request may proceed.</summary>
    public bool IsAllowed { get; }

    /// <summary>The rule reported: the violated one, or the one with the least quota left.</summary>
    public int RuleIndex { get; }

    /// <summary>That rule's limit.</summary>
    public int Limit { get; }

    /// <summary>Requests left under that rule.</summary>
    public int Remaining => _interval > 0 ? (int)Math.Min(Limit, _headroom / _interval) : _remaining;

    /// <summary>Time until that rule's quota is fully restored.</summary>
    public TimeSpan ResetAfter { get; }

    /// <summary>For a rejection, the time until a request would be allowed.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>
    /// For a rejection by the budget of the client's network rather than its own partition (a new address of a
    /// network that has added too many partitions), that network's prefix length (48, 32 or 24); else 0.
    /// </summary>
    public int NetworkPrefixLength { get; init; }

    /// <summary><see cref="RetryAfter"/> in whole seconds, rounded up and at least 1 (never earlier than the real reset).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary><see cref="ResetAfter"/> in whole seconds, rounded up.</summary>
    public int ResetSeconds => (int)Math.Ceiling(ResetAfter.TotalSeconds);
}
