using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>
/// Process-local rate limiting with the generic cell rate algorithm (GCRA): each rule keeps one
/// number per key, the theoretical arrival time (TAT). A rule of N per window W admits a request
/// when TAT' = max(TAT, now) + W/N is at most now + W. That is a token bucket of capacity N refilled
/// continuously at N per W: a burst of N, then one request every W/N. There are no window edges to
/// game (a fixed window allows 2N across an edge in an instant); the most any span of length W can
/// see is a full burst plus the refill during it, 2N − 1, and only after the key was idle for W.
/// </summary>
/// <remarks>
/// No global lock: each decision is a compare-and-swap per rule on the key's bucket, and looking up
/// an existing key allocates nothing. Memory is bounded: buckets whose rules are all fully restored
/// are idle and evicted; when <see cref="RateLimitStoreOptions.MaxKeys"/> is reached and nothing is
/// idle, new keys share one overflow bucket per policy (so a flood of distinct keys is limited
/// together rather than growing memory or being let through).
/// </remarks>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    // One table per policy, indexed by the policy's id: a decision is an array read and one lookup.
    private ConcurrentDictionary<PartitionKey, Bucket>?[] _tables = new ConcurrentDictionary<PartitionKey, Bucket>?[8];
    private readonly object _tablesLock = new();
    private readonly ConcurrentDictionary<RateLimitPolicy, Bucket> _overflow = new(ReferenceEqualityComparer.Instance);
    private readonly bool _systemClock;
    private readonly TimeProvider _time;
    private readonly int _maxKeys;
    private int _count;
    private long _lastSweepTicks = long.MinValue / 2;

    /// <summary>Creates a store.</summary>
    public InMemoryRateLimitStore(TimeProvider time, RateLimitStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _systemClock = ReferenceEquals(time, TimeProvider.System);
        _maxKeys = (options ?? new RateLimitStoreOptions()).MaxKeys;
        if (_maxKeys < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxKeys must be at least 1.");
        }
    }

    /// <summary>The number of keys tracked (overflow buckets excluded).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken) =>
        new(Acquire(key, policy));

    /// <summary>The synchronous decision (the in-memory store never waits).</summary>
    public RateLimitDecision Acquire(PartitionKey key, RateLimitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        long now = NowTicks();
        var table = TableFor(policy);
        if (!table.TryGetValue(key, out Bucket? bucket))
        {
            bucket = AddBucket(table, key, policy, now);
        }

        return Decide(bucket, policy, now);
    }

    private ConcurrentDictionary<PartitionKey, Bucket> TableFor(RateLimitPolicy policy)
    {
        var tables = Volatile.Read(ref _tables);
        if ((uint)policy.Id < (uint)tables.Length && tables[policy.Id] is { } table)
        {
            return table;
        }

        lock (_tablesLock)
        {
            tables = _tables;
            if (policy.Id >= tables.Length)
            {
                Array.Resize(ref tables, Math.Max(tables.Length * 2, policy.Id + 1));
            }

            table = tables[policy.Id] ??= new ConcurrentDictionary<PartitionKey, Bucket>();
            Volatile.Write(ref _tables, tables);
            return table;
        }
    }

    private Bucket AddBucket(ConcurrentDictionary<PartitionKey, Bucket> table, PartitionKey key, RateLimitPolicy policy, long now)
    {
        if (Volatile.Read(ref _count) >= _maxKeys)
        {
            Sweep(now);
            if (Volatile.Read(ref _count) >= _maxKeys)
            {
                return _overflow.GetOrAdd(policy, static p => new Bucket(p.Rules.Count));
            }
        }

        var created = new Bucket(policy.Rules.Count);
        Bucket actual = table.GetOrAdd(key, created);
        if (ReferenceEquals(actual, created))
        {
            Interlocked.Increment(ref _count);
        }

        return actual;
    }

    private static RateLimitDecision Decide(Bucket bucket, RateLimitPolicy policy, long now)
    {
        var rules = policy.Rules;
        long[] tats = bucket.Tats;
        long[] windows = policy.WindowTicks;
        long[] intervals = policy.IntervalTicks;
        int reported = 0;
        int reportedRemaining = int.MaxValue;
        long reportedReset = 0;
        for (int i = 0; i < tats.Length; i++)
        {
            long window = windows[i];
            long interval = intervals[i];
            while (true)
            {
                long tat = Volatile.Read(ref tats[i]);
                long next = Math.Max(tat, now) + interval;
                if (next - now > window)
                {
                    // Rejected by rule i: give back what earlier rules took for this request.
                    for (int k = 0; k < i; k++)
                    {
                        Interlocked.Add(ref tats[k], -intervals[k]);
                    }

                    long retry = next - window - now;
                    long reset = Math.Max(tat, now) - now;
                    return new RateLimitDecision(false, i, rules[i].Limit, 0, TimeSpan.FromTicks(reset), TimeSpan.FromTicks(retry));
                }

                if (Interlocked.CompareExchange(ref tats[i], next, tat) == tat)
                {
                    if (tats.Length == 1)
                    {
                        return new RateLimitDecision(0, rules[0].Limit, window - (next - now), interval, TimeSpan.FromTicks(next - now));
                    }

                    int remaining = (int)Math.Min(rules[i].Limit, (window - (next - now)) / interval);
                    if (remaining < reportedRemaining)
                    {
                        reported = i;
                        reportedRemaining = remaining;
                        reportedReset = next - now;
                    }

                    break;
                }
            }
        }

        return new RateLimitDecision(true, reported, rules[reported].Limit, reportedRemaining, TimeSpan.FromTicks(reportedReset), TimeSpan.Zero);
    }

    // Removes buckets whose every rule is fully restored: forgetting them changes no decision.
    private void Sweep(long now)
    {
        long last = Volatile.Read(ref _lastSweepTicks);
        if (now - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return; // at most one sweep per second, one sweeper at a time
        }

        foreach (var table in Volatile.Read(ref _tables))
        {
            if (table is null)
            {
                continue;
            }

            foreach (var pair in table)
            {
                if (pair.Value.IsIdle(now) && table.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private long NowTicks()
    {
        if (_systemClock)
        {
            // The system clock's millisecond tick is enough for rate limits and far cheaper to read.
            return Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        }

        long timestamp = _time.GetTimestamp();
        long frequency = _time.TimestampFrequency;
        return frequency == TimeSpan.TicksPerSecond ? timestamp : (long)(timestamp * ((double)TimeSpan.TicksPerSecond / frequency));
    }

    private sealed class Bucket(int rules)
    {
        public readonly long[] Tats = new long[rules];

        public bool IsIdle(long now)
        {
            for (int i = 0; i < Tats.Length; i++)
            {
                if (Volatile.Read(ref Tats[i]) > now)
                {
                    return false;
                }
            }

            return true;
        }
    }
}

/// <summary>Options of <see cref="InMemoryRateLimitStore"/>.</summary>
public sealed class RateLimitStoreOptions
{
    /// <summary>The most keys tracked before new keys share an overflow bucket (default 100,000).</summary>
    public int MaxKeys { get; set; } = 100_000;
}
