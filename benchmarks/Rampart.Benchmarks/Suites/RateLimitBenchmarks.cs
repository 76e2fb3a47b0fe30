using System;
using System.Net;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Rampart.RateLimiting;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// One rate-limit decision for an existing key: Rampart's in-memory GCRA store against
/// System.Threading.RateLimiting's PartitionedRateLimiter with a token bucket, and an Interlocked
/// fixed-window counter as the floor; single-threaded and with two threads on one key.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class RateLimitBenchmarks
{
    private const int PerThread = 100_000;
    private InMemoryRateLimitStore _store = null!;
    private RateLimitPolicy _policy = null!;
    private PartitionKey _key;
    private PartitionedRateLimiter<string> _partitioned = null!;
    private long _window;
    private long _count;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryRateLimitStore(TimeProvider.System);
        // Generous limits: every decision is an allowed one, as on a healthy API.
        // One generous rule, like the single token bucket of the peer: every decision is an allowed one.
        _policy = RateLimitPolicy.Parse("default", "1000000/second");
        _key = PartitionKey.ForAddress(IPAddress.Parse("198.51.100.7"));
        _store.Acquire(_key, _policy);
        _partitioned = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1_000_000,
            TokensPerPeriod = 1_000_000,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _partitioned.AttemptAcquire("198.51.100.7").Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => _partitioned.Dispose();

    [Benchmark(Baseline = true)]
    public bool Rampart() => _store.Acquire(_key, _policy).IsAllowed;

    [Benchmark]
    public bool PartitionedTokenBucket()
    {
        using var lease = _partitioned.AttemptAcquire("198.51.100.7");
        return lease.IsAcquired;
    }

    [Benchmark]
    public bool InterlockedFixedWindow() => FixedWindow();

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void Rampart_TwoThreads() => TwoThreads(() => _store.Acquire(_key, _policy));

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void PartitionedTokenBucket_TwoThreads() => TwoThreads(() => _partitioned.AttemptAcquire("198.51.100.7").Dispose());

    [Benchmark(OperationsPerInvoke = 2 * PerThread)]
    public void InterlockedFixedWindow_TwoThreads() => TwoThreads(() => FixedWindow());

    private bool FixedWindow()
    {
        long window = Environment.TickCount64 / 1000;
        if (Volatile.Read(ref _window) != window)
        {
            Volatile.Write(ref _window, window);
            Volatile.Write(ref _count, 0);
        }

        return Interlocked.Increment(ref _count) <= 1_000_000;
    }

    private static void TwoThreads(Action decide)
    {
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            () => { for (int i = 0; i < PerThread; i++) decide(); },
            () => { for (int i = 0; i < PerThread; i++) decide(); });
    }
}
