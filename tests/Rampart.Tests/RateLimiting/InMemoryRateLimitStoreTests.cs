using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Rampart.RateLimiting;
using Xunit;

namespace Rampart.Tests.RateLimiting;

/// <summary>The GCRA store, on a fake clock: burst, refill, multi-rule, concurrency and bounded memory.</summary>
public sealed class InMemoryRateLimitStoreTests
{
    private static readonly RateLimitPolicy Defaults = RateLimitPolicy.Parse("default", "100/minute; 1000/hour");
    private static readonly PartitionKey Alice = PartitionKey.ForSubject("alice");

    [Fact]
    public void Request_101_within_a_minute_is_rejected_with_exact_retry_and_reset()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        var policy = RateLimitPolicy.Parse("default", "100/minute");
        for (int i = 0; i < 100; i++)
        {
            var ok = store.Acquire(Alice, policy);
            Assert.True(ok.IsAllowed, $"request {i + 1}");
            Assert.Equal(99 - i, ok.Remaining);
        }

        var rejected = store.Acquire(Alice, policy);
        Assert.False(rejected.IsAllowed);
        Assert.Equal(0, rejected.Remaining);
        // One request is restored every 60 s / 100 = 600 ms; the whole quota after 60 s.
        Assert.Equal(TimeSpan.FromMilliseconds(600), rejected.RetryAfter);
        Assert.Equal(1, rejected.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromSeconds(60), rejected.ResetAfter);
        Assert.Equal(60, rejected.ResetSeconds);

        // Never earlier than the real reset: 599 ms later it is still refused, at 600 ms it passes.
        time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.False(store.Acquire(Alice, policy).IsAllowed);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(store.Acquire(Alice, policy).IsAllowed);
    }

    [Fact]
    public void Ten_per_second_allows_a_burst_of_ten_then_one_every_100_ms()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        var policy = RateLimitPolicy.Parse("search", "10/second");
        Assert.Equal(10, Enumerable.Range(0, 25).Count(_ => store.Acquire(Alice, policy).IsAllowed));

        int admitted = 0;
        for (int step = 0; step < 10; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            admitted += store.Acquire(Alice, policy).IsAllowed ? 1 : 0;
            Assert.False(store.Acquire(Alice, policy).IsAllowed);
        }

        Assert.Equal(10, admitted);

        // After a full idle second the whole burst is back, and not more.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(10, Enumerable.Range(0, 25).Count(_ => store.Acquire(Alice, policy).IsAllowed));
    }

    [Fact]
    public void The_hourly_rule_holds_across_minute_boundaries()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        int allowed = 0;
        int firstHourlyRejectionMinute = -1;
        for (int minute = 0; minute < 60; minute++)
        {
            for (int i = 0; i < 100; i++)
            {
                var decision = store.Acquire(Alice, Defaults);
                if (decision.IsAllowed)
                {
                    allowed++;
                }
                else if (decision.RuleIndex == 1 && firstHourlyRejectionMinute < 0)
                {
                    firstHourlyRejectionMinute = minute;
                }
            }

            time.Advance(TimeSpan.FromMinutes(1));
        }

        // 100 per minute would be 6000 an hour; the hour rule (1000 burst, refilled at 1000/hour)
        // caps the hour at 1000 + the refill during it.
        Assert.True(firstHourlyRejectionMinute is > 0 and < 15, $"hourly rule first rejected in minute {firstHourlyRejectionMinute}");
        Assert.True(allowed <= 2000, $"{allowed} allowed in one hour");
        Assert.True(allowed >= 1000, $"{allowed} allowed in one hour");
    }

    [Fact]
    public void A_rejection_by_a_later_rule_does_not_consume_earlier_rules()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        var policy = RateLimitPolicy.Parse("p", "5/second; 6/minute");
        Assert.Equal(5, Enumerable.Range(0, 5).Count(_ => store.Acquire(Alice, policy).IsAllowed));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(store.Acquire(Alice, policy).IsAllowed); // the 6th of the minute
        for (int i = 0; i < 50; i++)
        {
            var decision = store.Acquire(Alice, policy);
            Assert.False(decision.IsAllowed);
            Assert.Equal(1, decision.RuleIndex);
        }

        // Once the minute rule restores one request (10 s), the second rule is not exhausted by the rejections.
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(store.Acquire(Alice, policy).IsAllowed);
    }

    [Fact]
    public async Task Sixty_four_parallel_clients_on_one_key_get_exactly_the_limit()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        var policy = RateLimitPolicy.Parse("p", "100/minute");
        int allowed = 0;
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait();
            for (int i = 0; i < 20; i++)
            {
                if (store.Acquire(Alice, policy).IsAllowed)
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(workers);
        Assert.Equal(100, allowed);
    }

    [Fact]
    public void Keys_are_independent_and_ipv6_is_grouped_by_64()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        var policy = RateLimitPolicy.Parse("p", "1/minute");
        Assert.True(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("2001:db8:1:2::1")), policy).IsAllowed);
        Assert.False(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("2001:db8:1:2:ffff::9")), policy).IsAllowed);
        Assert.True(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("2001:db8:1:3::1")), policy).IsAllowed);
        Assert.True(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("192.0.2.1")), policy).IsAllowed);
        Assert.False(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("::ffff:192.0.2.1")), policy).IsAllowed);
        Assert.True(store.Acquire(PartitionKey.ForSubject("192.0.2.1"), policy).IsAllowed);
    }

    [Fact]
    public void A_flood_of_distinct_subjects_stays_within_their_part_and_shares_the_overflow_bucket()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time, new RateLimitStoreOptions { MaxKeys = 1000, ReservedAuthenticatedKeys = 600 });
        var policy = RateLimitPolicy.Parse("p", "5/minute");
        int overflowAllowed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            bool allowed = store.Acquire(PartitionKey.ForSubject("user-" + i), policy).IsAllowed;
            if (i >= 600 && allowed)
            {
                overflowAllowed++;
            }
        }

        Assert.Equal(600, store.Count);
        // Keys past the cap are limited together: the overflow bucket's burst, not one per key.
        Assert.Equal(5, overflowAllowed);

        // The anonymous part is not theirs to take, and is still open to anonymous clients.
        Assert.True(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("198.51.100.9")), policy).IsAllowed);

        // Idle buckets are evicted, making room for new keys again.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(store.Acquire(PartitionKey.ForSubject("late-comer"), policy).IsAllowed);
        Assert.True(store.Count <= 1000);
    }

    [Fact]
    public void Existing_keys_decide_without_allocating()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        var policy = RateLimitPolicy.Parse("p", "1000000/second; 1000000/minute");
        var key = PartitionKey.ForAddress(IPAddress.Parse("198.51.100.7"));
        // The first call creates the key; the second warms the path of a known key (its first run at tier 0
        // of the JIT allocates once per process, which is not what this measures).
        store.Acquire(key, policy);
        store.Acquire(key, policy);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            store.Acquire(key, policy);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("10/second", "\"p\";q=10;w=1")]
    [InlineData("100 per minute; 1000/hour", "\"p-60\";q=100;w=60, \"p-3600\";q=1000;w=3600")]
    [InlineData("5/day", "\"p\";q=5;w=86400")]
    public void Policies_parse_and_describe_themselves(string text, string header)
    {
        Assert.Equal(header, RateLimitPolicy.Parse("p", text).HeaderValue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("ten/second")]
    [InlineData("0/second")]
    [InlineData("-1/second")]
    [InlineData("10/fortnight")]
    [InlineData("10/second;")]
    [InlineData("10/second; 20/second")]
    [InlineData("2000000/second")]
    public void Malformed_policies_fail_with_a_clear_message(string text)
    {
        var error = Assert.Throws<FormatException>(() => RateLimitPolicy.Parse("p", text));
        Assert.Contains("is malformed", error.Message);
    }
}
