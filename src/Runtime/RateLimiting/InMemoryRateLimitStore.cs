using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Logging;

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
/// <para>No lock on the way of a request whose key is known: each decision is a compare-and-swap per rule
/// on the key's bucket, and looking it up allocates nothing.</para>
/// <para>Memory is bounded by <see cref="RateLimitStoreOptions.MaxKeys"/>, split in two parts that cannot take
/// each other's room. Authenticated subjects have their own part (<see cref="RateLimitStoreOptions.ReservedAuthenticatedKeys"/>):
/// when it is full, idle buckets are evicted, and if none is idle new subjects share one overflow bucket per
/// policy. Everything else — client addresses, their networks, custom keys — lives in two generations: keys are
/// added to the young one, and when it is full the old one is dropped and the young one becomes old; a key found
/// in the old generation moves back to the young one. So the keys dropped are those not used for a whole
/// generation: the least recently used (an approximation of LRU without a list to maintain per request), and a
/// new anonymous client always gets a bucket of its own.</para>
/// <para>A new address partition is first counted against its networks (<see cref="NetworkBudgetOptions"/>), whose
/// keys stay young while their network is busy: hopping across addresses gains new partitions only at the
/// network's rate. Evicting keys still in use and the overflow bucket are reported as a security event
/// (<see cref="SecurityEvents.RateLimitPressureId"/>, at most once a minute) and as metrics.</para>
/// </remarks>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private const long PressureLogInterval = TimeSpan.TicksPerMinute;
    private readonly KeyTables _subjects = new();
    private KeyTables _young = new();
    private KeyTables _old = new();
    private readonly object _agingLock = new();
    private readonly ConcurrentDictionary<RateLimitPolicy, Bucket> _overflow = new(ReferenceEqualityComparer.Instance);
    private long[]?[]?[] _networkIntervals = new long[]?[]?[8];
    private readonly object _intervalsLock = new();
    private readonly NetworkBudgetOptions _networks;
    private readonly bool _systemClock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxKeys;
    private readonly int _maxSubjects;
    private readonly int _generationSize;
    private long _lastSweepTicks = long.MinValue / 2;
    private long _lastPressureLog = long.MinValue / 2;
    private long _evictedSinceLog;
    private long _overflowedSinceLog;

    /// <summary>Creates a store; <paramref name="logger"/> receives the pressure event (the <c>Rampart.Security</c> logger).</summary>
    public InMemoryRateLimitStore(TimeProvider time, RateLimitStoreOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        options ??= new RateLimitStoreOptions();
        options.Validate();
        _time = time;
        _systemClock = ReferenceEquals(time, TimeProvider.System);
        _logger = logger ?? NullLogger.Instance;
        _maxKeys = options.MaxKeys;
        _maxSubjects = options.Reserved;
        _generationSize = Math.Max(1, (options.MaxKeys - options.Reserved) / 2);
        _networks = new NetworkBudgetOptions
        {
            Ipv6Slash32 = options.Networks.Ipv6Slash32,
            Ipv6Slash48 = options.Networks.Ipv6Slash48,
            Ipv4Slash24 = options.Networks.Ipv4Slash24,
        };
    }

    /// <summary>The number of keys tracked (overflow buckets excluded).</summary>
    public int Count => Volatile.Read(ref _subjects.Count) + Volatile.Read(ref Volatile.Read(ref _young).Count) + Volatile.Read(ref Volatile.Read(ref _old).Count);

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken) =>
        new(Acquire(key, policy));

    /// <summary>The synchronous decision (the in-memory store never waits).</summary>
    public RateLimitDecision Acquire(PartitionKey key, RateLimitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        long now = NowTicks();
        KeyTables tables = key.IsSubject ? _subjects : Volatile.Read(ref _young);
        if (tables.Find(policy.Id) is { } table && table.TryGetValue(key, out Bucket? bucket))
        {
            return Decide(bucket, policy, now);
        }

        return key.IsSubject ? AcquireSubject(key, policy, now) : AcquireOther(key, policy, now);
    }

    /// <summary>
    /// True when a request of <paramref name="key"/> would be refused now, without counting one: for budgets
    /// that count only some outcomes (failed authentications), checked before the work they protect.
    /// </summary>
    internal bool WouldReject(PartitionKey key, RateLimitPolicy policy, out TimeSpan retryAfter)
    {
        long now = NowTicks();
        retryAfter = TimeSpan.Zero;
        if (Peek(key, policy.Id) is { } bucket)
        {
            return WouldReject(bucket.Tats, policy.WindowTicks, policy.IntervalTicks, now, ref retryAfter);
        }

        // No partition yet: it would be refused if one of its networks could not add it.
        long[]?[] levels = NetworkIntervals(policy);
        for (int i = 0; i < key.NetworkCount; i++)
        {
            PartitionKey network = key.GetNetwork(i);
            if (levels[Level(network)] is { } intervals && Peek(network, policy.Id) is { } networkBucket
                && WouldReject(networkBucket.Tats, policy.WindowTicks, intervals, now, ref retryAfter))
            {
                return true;
            }
        }

        return false;
    }

    private Bucket? Peek(PartitionKey key, int policyId)
    {
        Bucket? bucket = null;
        if (key.IsSubject)
        {
            _ = _subjects.Find(policyId)?.TryGetValue(key, out bucket);
            return bucket;
        }

        if (Volatile.Read(ref _young).Find(policyId)?.TryGetValue(key, out bucket) == true)
        {
            return bucket;
        }

        _ = Volatile.Read(ref _old).Find(policyId)?.TryGetValue(key, out bucket);
        return bucket;
    }

    private static bool WouldReject(long[] tats, long[] windows, long[] intervals, long now, ref TimeSpan retryAfter)
    {
        for (int i = 0; i < tats.Length; i++)
        {
            long next = Math.Max(Volatile.Read(ref tats[i]), now) + intervals[i];
            if (next - now > windows[i])
            {
                retryAfter = TimeSpan.FromTicks(next - windows[i] - now);
                return true;
            }
        }

        return false;
    }

    private RateLimitDecision AcquireSubject(PartitionKey key, RateLimitPolicy policy, long now)
    {
        var table = _subjects.Get(policy.Id);
        if (!table.TryGetValue(key, out Bucket? bucket))
        {
            if (Volatile.Read(ref _subjects.Count) >= _maxSubjects)
            {
                SweepSubjects(now);
                if (Volatile.Read(ref _subjects.Count) >= _maxSubjects)
                {
                    RateLimitMetrics.Overflowed.Add(1);
                    Interlocked.Increment(ref _overflowedSinceLog);
                    ReportPressure(now);
                    return Decide(_overflow.GetOrAdd(policy, static p => new Bucket(p.Rules.Count)), policy, now);
                }
            }

            var created = new Bucket(policy.Rules.Count);
            bucket = table.GetOrAdd(key, created);
            if (ReferenceEquals(bucket, created))
            {
                Interlocked.Increment(ref _subjects.Count);
            }
        }

        return Decide(bucket, policy, now);
    }

    private RateLimitDecision AcquireOther(PartitionKey key, RateLimitPolicy policy, long now)
    {
        Bucket? bucket = FindAndRenew(key, policy.Id, now);
        if (bucket is null)
        {
            if (key.NetworkCount > 0 && ChargeNetworks(key, policy, now) is { } refused)
            {
                return refused;
            }

            bucket = Insert(key, policy.Id, new Bucket(policy.Rules.Count), now);
        }

        return Decide(bucket, policy, now);
    }

    // A new partition of an address: counted against its networks, widest first. When one refuses, what the
    // wider ones took is given back and no partition is created.
    private RateLimitDecision? ChargeNetworks(PartitionKey key, RateLimitPolicy policy, long now)
    {
        long[]?[] levels = NetworkIntervals(policy);
        Bucket? taken = null;
        long[]? takenIntervals = null;
        for (int i = 0; i < key.NetworkCount; i++)
        {
            PartitionKey network = key.GetNetwork(i);
            if (levels[Level(network)] is not { } intervals)
            {
                continue; // this level is turned off
            }

            Bucket bucket = FindAndRenew(network, policy.Id, now) ?? Insert(network, policy.Id, new Bucket(policy.Rules.Count), now);
            if (!TryTake(bucket.Tats, policy.WindowTicks, intervals, now, out int rule, out long retry, out long reset))
            {
                if (taken is not null)
                {
                    Refund(taken.Tats, takenIntervals!);
                }

                int limit = (int)Math.Min(int.MaxValue, (long)policy.Rules[rule].Limit * _networks.FactorFor(network));
                return new RateLimitDecision(false, rule, limit, 0, TimeSpan.FromTicks(reset), TimeSpan.FromTicks(retry)) { NetworkPrefixLength = network.PrefixLength };
            }

            taken = bucket;
            takenIntervals = intervals;
        }

        return null;
    }

    // The key's bucket in the young generation, or moved there from the old one; null when neither has it.
    private Bucket? FindAndRenew(PartitionKey key, int policyId, long now)
    {
        if (Volatile.Read(ref _young).Get(policyId).TryGetValue(key, out Bucket? bucket))
        {
            return bucket;
        }

        KeyTables old = Volatile.Read(ref _old);
        if (old.Find(policyId) is { } table && table.TryRemove(key, out bucket))
        {
            Interlocked.Decrement(ref old.Count);
            return Insert(key, policyId, bucket, now);
        }

        return null;
    }

    private Bucket Insert(PartitionKey key, int policyId, Bucket bucket, long now)
    {
        KeyTables young = Volatile.Read(ref _young);
        if (Volatile.Read(ref young.Count) >= _generationSize)
        {
            young = Age(young, now);
        }

        Bucket actual = young.Get(policyId).GetOrAdd(key, bucket);
        if (ReferenceEquals(actual, bucket))
        {
            Interlocked.Increment(ref young.Count);
        }
        else
        {
            // Another request added the key meanwhile: keep the stricter state of the two.
            actual.Absorb(bucket);
        }

        return actual;
    }

    // The young generation is full: the old one is dropped, the young one becomes old.
    private KeyTables Age(KeyTables full, long now)
    {
        KeyTables dropped;
        lock (_agingLock)
        {
            if (!ReferenceEquals(_young, full))
            {
                return _young; // another request aged it already
            }

            dropped = _old;
            Volatile.Write(ref _old, full);
            Volatile.Write(ref _young, new KeyTables());
        }

        // Keys dropped while their quota was still being spent are pressure; idle ones are merely forgotten.
        long active = dropped.CountActive(now);
        if (active > 0)
        {
            RateLimitMetrics.Evicted.Add(active);
            Interlocked.Add(ref _evictedSinceLog, active);
            ReportPressure(now);
        }

        return Volatile.Read(ref _young);
    }

    private void ReportPressure(long now)
    {
        long last = Volatile.Read(ref _lastPressureLog);
        if (now - last < PressureLogInterval || Interlocked.CompareExchange(ref _lastPressureLog, now, last) != last)
        {
            return;
        }

        SecurityEvents.RateLimitPressure(_logger, Interlocked.Exchange(ref _evictedSinceLog, 0), Interlocked.Exchange(ref _overflowedSinceLog, 0), Count, _maxKeys);
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

    // Decide's arithmetic without a decision: for network budgets.
    private static bool TryTake(long[] tats, long[] windows, long[] intervals, long now, out int rule, out long retry, out long reset)
    {
        for (int i = 0; i < tats.Length; i++)
        {
            while (true)
            {
                long tat = Volatile.Read(ref tats[i]);
                long next = Math.Max(tat, now) + intervals[i];
                if (next - now > windows[i])
                {
                    for (int k = 0; k < i; k++)
                    {
                        Interlocked.Add(ref tats[k], -intervals[k]);
                    }

                    rule = i;
                    retry = next - windows[i] - now;
                    reset = Math.Max(tat, now) - now;
                    return false;
                }

                if (Interlocked.CompareExchange(ref tats[i], next, tat) == tat)
                {
                    break;
                }
            }
        }

        rule = 0;
        retry = 0;
        reset = 0;
        return true;
    }

    private static void Refund(long[] tats, long[] intervals)
    {
        for (int i = 0; i < tats.Length; i++)
        {
            Interlocked.Add(ref tats[i], -intervals[i]);
        }
    }

    private static int Level(PartitionKey network) => network.PrefixLength switch
    {
        32 => 0,
        48 => 1,
        _ => 2,
    };

    // Per policy and network level, the interval of each rule at the level's multiple of the limit (null: level off).
    private long[]?[] NetworkIntervals(RateLimitPolicy policy)
    {
        var cache = Volatile.Read(ref _networkIntervals);
        if ((uint)policy.Id < (uint)cache.Length && cache[policy.Id] is { } found)
        {
            return found;
        }

        lock (_intervalsLock)
        {
            cache = _networkIntervals;
            if (policy.Id >= cache.Length)
            {
                Array.Resize(ref cache, Math.Max(cache.Length * 2, policy.Id + 1));
            }

            if (cache[policy.Id] is not { } levels)
            {
                levels = new long[]?[3];
                int[] factors = [_networks.Ipv6Slash32, _networks.Ipv6Slash48, _networks.Ipv4Slash24];
                for (int level = 0; level < levels.Length; level++)
                {
                    if (factors[level] == 0)
                    {
                        continue;
                    }

                    var intervals = new long[policy.Rules.Count];
                    for (int i = 0; i < intervals.Length; i++)
                    {
                        intervals[i] = Math.Max(1, policy.WindowTicks[i] / ((long)policy.Rules[i].Limit * factors[level]));
                    }

                    levels[level] = intervals;
                }

                cache[policy.Id] = levels;
            }

            Volatile.Write(ref _networkIntervals, cache);
            return levels;
        }
    }

    // Removes subjects' buckets whose every rule is fully restored: forgetting them changes no decision.
    private void SweepSubjects(long now)
    {
        long last = Volatile.Read(ref _lastSweepTicks);
        if (now - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return; // at most one sweep per second, one sweeper at a time
        }

        foreach (var table in _subjects.All())
        {
            foreach (var pair in table)
            {
                if (pair.Value.IsIdle(now) && table.TryRemove(pair))
                {
                    Interlocked.Decrement(ref _subjects.Count);
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

    // One table per policy, indexed by the policy's id: a decision is an array read and one lookup.
    private sealed class KeyTables
    {
        private readonly object _lock = new();
        private ConcurrentDictionary<PartitionKey, Bucket>?[] _byPolicy = new ConcurrentDictionary<PartitionKey, Bucket>?[8];

        // The keys held, for the caps (updated with Interlocked).
        public int Count;

        public ConcurrentDictionary<PartitionKey, Bucket>? Find(int policyId)
        {
            var tables = Volatile.Read(ref _byPolicy);
            return (uint)policyId < (uint)tables.Length ? tables[policyId] : null;
        }

        public ConcurrentDictionary<PartitionKey, Bucket> Get(int policyId)
        {
            if (Find(policyId) is { } table)
            {
                return table;
            }

            lock (_lock)
            {
                var tables = _byPolicy;
                if (policyId >= tables.Length)
                {
                    Array.Resize(ref tables, Math.Max(tables.Length * 2, policyId + 1));
                }

                table = tables[policyId] ??= new ConcurrentDictionary<PartitionKey, Bucket>();
                Volatile.Write(ref _byPolicy, tables);
                return table;
            }
        }

        public IEnumerable<ConcurrentDictionary<PartitionKey, Bucket>> All()
        {
            foreach (var table in Volatile.Read(ref _byPolicy))
            {
                if (table is not null)
                {
                    yield return table;
                }
            }
        }

        public long CountActive(long now)
        {
            long active = 0;
            foreach (var table in All())
            {
                foreach (var pair in table)
                {
                    active += pair.Value.IsIdle(now) ? 0 : 1;
                }
            }

            return active;
        }
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

        // Takes the later arrival time of each rule from a bucket that lost a race to this one.
        public void Absorb(Bucket other)
        {
            for (int i = 0; i < Tats.Length && i < other.Tats.Length; i++)
            {
                long theirs = Volatile.Read(ref other.Tats[i]);
                long mine;
                while ((mine = Volatile.Read(ref Tats[i])) < theirs && Interlocked.CompareExchange(ref Tats[i], theirs, mine) != mine)
                {
                }
            }
        }
    }
}
