using System;
using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rampart.Logging;
using Rampart.RateLimiting;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.RateLimiting;

/// <summary>
/// Flooding the in-memory table with distinct anonymous partitions (issue 16, item 5), from the attacker's
/// side: through the rate-limit gate of an endpoint, with the partitioning of real requests (authenticated
/// subject, else the client address), on a fake clock that never lets a flooded key go idle.
/// </summary>
public sealed class FloodTests
{
    private static readonly RateLimitPolicy Defaults = RateLimitPolicy.Parse("default", "100/minute; 1000/hour");

    private static HttpContext Anonymous(IPAddress address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = address;
        return context;
    }

    private static HttpContext Authenticated(string subject, IPAddress address)
    {
        var context = Anonymous(address);
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject)], "Bearer"));
        return context;
    }

    private static IPAddress V6(ulong high, ulong low = 1)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], low);
        return new IPAddress(bytes);
    }

    // Flood partition i: the first half are distinct /64s of one /32 (2001:db8::/32), the second half each a
    // /64 of a /32 of its own (24xx:xxxx::/32) — hopping across networks, not only across one network's /64s.
    private static IPAddress FloodAddress(int i) => i % 2 == 0
        ? V6(0x2001_0db8_0000_0000UL | (uint)(i / 2))
        : V6((0x2400_0000UL + (ulong)(i / 2)) << 32);

    [Fact]
    public async Task Two_hundred_thousand_anonymous_partitions_leave_authenticated_and_new_anonymous_clients_served()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryRateLimitStore(time, new RateLimitStoreOptions { MaxKeys = 2000 });
        var gate = new RateLimitGate(store, Defaults, endpoint: null, partitioner: null, NullLogger.Instance, time);
        Assert.True(await gate.TryEnterAsync(Authenticated("early-user", IPAddress.Parse("198.51.100.1"))));

        long before = GC.GetTotalMemory(forceFullCollection: true);
        long halfway = 0;
        int heldHalfway = 0;
        int floodAdmitted = 0;
        for (int i = 0; i < 200_000; i++)
        {
            floodAdmitted += await gate.TryEnterAsync(Anonymous(FloodAddress(i))) ? 1 : 0;
            if (i == 99_999)
            {
                halfway = GC.GetTotalMemory(forceFullCollection: true);
                heldHalfway = store.Count;
            }
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        int held = store.Count;

        // Served: an authenticated caller that was there before, one that arrives now (from a flooded network,
        // even), an anonymous client of an unflooded /32, and one of an unflooded IPv4 network.
        Assert.True(await gate.TryEnterAsync(Authenticated("early-user", IPAddress.Parse("198.51.100.1"))), "the early authenticated caller");
        Assert.True(await gate.TryEnterAsync(Authenticated("new-user", FloodAddress(7))), "a new authenticated caller");
        Assert.True(await gate.TryEnterAsync(Anonymous(IPAddress.Parse("2a01:4f8:1:2::5"))), "a new anonymous client of an unflooded /32");
        Assert.True(await gate.TryEnterAsync(Anonymous(IPAddress.Parse("203.0.113.9"))), "a new anonymous IPv4 client");

        // Memory stays bounded by MaxKeys whatever the flood did (the heap figures are reported, not asserted).
        Assert.InRange(heldHalfway, 1, 2000);
        Assert.InRange(held, 1, 2000);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"flood of 200,000 partitions: {floodAdmitted} admitted; keys held {heldHalfway} after 100,000 and {held} after 200,000 (MaxKeys 2000); " +
            $"managed heap {before:N0} -> {halfway:N0} -> {after:N0} bytes");
    }

    [Fact]
    public void Hopping_across_the_64s_of_one_48_creates_partitions_only_at_the_48s_rate()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        var policy = RateLimitPolicy.Parse("login", "5/minute");
        int admitted = 0;
        for (uint i = 0; i <= ushort.MaxValue; i++)
        {
            admitted += store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0001_0000UL | i)), policy).IsAllowed ? 1 : 0;
        }

        // The /48's budget: 16 times the policy, counted in new partitions (a burst of 80, then one every 0.75 s).
        Assert.Equal(80, admitted);
        Assert.InRange(store.Count, 1, 200);

        // A /64 that has its partition keeps its own quota; another /48 of the same /32 is not affected.
        Assert.True(store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0001_0000UL)), policy).IsAllowed);
        Assert.True(store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0002_0000UL)), policy).IsAllowed);

        // The /48 refills: 0.75 s later it may add one partition.
        time.Advance(TimeSpan.FromMilliseconds(750));
        Assert.True(store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0001_fff0UL, 9)), policy).IsAllowed);
        Assert.False(store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0001_fff1UL, 9)), policy).IsAllowed);
    }

    [Fact]
    public void Hopping_across_the_48s_of_one_32_is_bounded_by_the_32s_budget()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        var policy = RateLimitPolicy.Parse("login", "5/minute");
        int admitted = 0;
        for (ulong i = 0; i < 100_000; i++)
        {
            // /64 number i of /48 number i (mod 65536): every request a new /64, the /48s change too.
            admitted += store.Acquire(PartitionKey.ForAddress(V6(0x2001_0db8_0000_0000UL | ((i & 0xffff) << 16) | (i >> 16))), policy).IsAllowed ? 1 : 0;
        }

        // The /32's budget: 256 times the policy.
        Assert.Equal(1280, admitted);
        Assert.True(store.Count < 5000, $"{store.Count} keys");
    }

    [Fact]
    public void The_addresses_of_one_ipv4_24_share_its_budget_for_new_partitions()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        var policy = RateLimitPolicy.Parse("login", "1/minute");
        int admitted = 0;
        for (int i = 0; i < 256; i++)
        {
            admitted += store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("192.0.2." + i)), policy).IsAllowed ? 1 : 0;
        }

        Assert.Equal(16, admitted);
        Assert.True(store.Acquire(PartitionKey.ForAddress(IPAddress.Parse("192.0.3.1")), policy).IsAllowed);
    }

    [Fact]
    public void Evicting_partitions_in_use_and_the_overflow_bucket_are_reported_as_an_event_and_metrics()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var store = new InMemoryRateLimitStore(time, new RateLimitStoreOptions { MaxKeys = 100, ReservedAuthenticatedKeys = 10 }, logs.CreateLogger(SecurityEvents.Category));
        long evicted = 0;
        long overflowed = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RateLimitMetrics.MeterName && instrument.Name is "rampart.rate_limit.evicted" or "rampart.rate_limit.overflowed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "rampart.rate_limit.evicted")
            {
                System.Threading.Interlocked.Add(ref evicted, value);
            }
            else
            {
                System.Threading.Interlocked.Add(ref overflowed, value);
            }
        });
        listener.Start();

        var policy = RateLimitPolicy.Parse("p", "10/minute");
        for (int i = 0; i < 1000; i++)
        {
            store.Acquire(PartitionKey.ForAddress(V6((0x2400_0000UL + (ulong)i) << 32)), policy);
        }

        for (int i = 0; i < 20; i++)
        {
            store.Acquire(PartitionKey.ForSubject("user-" + i), policy);
        }

        Assert.InRange(store.Count, 1, 100);
        var pressure = Assert.Single(logs.Entries, e => e.EventId.Id == SecurityEvents.RateLimitPressureId);
        Assert.Equal(SecurityEvents.Category, pressure.Category);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, pressure.Level);
        Assert.True(evicted > 0, "evicted partitions counted");
        Assert.Equal(10, overflowed);

        // At most one event a minute, with what happened since the last one.
        time.Advance(TimeSpan.FromMinutes(1));
        for (int i = 1000; i < 1200; i++)
        {
            store.Acquire(PartitionKey.ForAddress(V6((0x2400_0000UL + (ulong)i) << 32)), policy);
        }

        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == SecurityEvents.RateLimitPressureId));
    }

    [Fact]
    public async Task A_credential_endpoint_counts_per_address_whatever_token_or_partitioner_the_request_carries()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryRateLimitStore(time);
        var gate = new RateLimitGate(store, defaults: null, RateLimitPolicy.Parse("login", "2/minute"), partitioner: _ => PartitionKey.ForCustom("tenant-1"),
            NullLogger.Instance, time, RateLimitPartitioning.ByAddress);
        var attacker = IPAddress.Parse("2001:db8:5:6::1");
        Assert.True(await gate.TryEnterAsync(Anonymous(attacker)));
        Assert.True(await gate.TryEnterAsync(Authenticated("mallory", attacker)));
        Assert.False(await gate.TryEnterAsync(Authenticated("mallory-2", IPAddress.Parse("2001:db8:5:6::99"))), "another host of the same /64, another token");
        Assert.True(await gate.TryEnterAsync(Authenticated("mallory", IPAddress.Parse("2001:db8:5:7::1"))), "another /64");

        // Without ByAddress the subject is the partition (the application's partitioner first).
        var plain = new RateLimitGate(store, defaults: null, RateLimitPolicy.Parse("other", "2/minute"), partitioner: null, NullLogger.Instance, time);
        Assert.True(await plain.TryEnterAsync(Anonymous(attacker)));
        Assert.True(await plain.TryEnterAsync(Anonymous(attacker)));
        Assert.True(await plain.TryEnterAsync(Authenticated("mallory", attacker)));
    }

    [Fact]
    public void Address_keys_know_their_networks()
    {
        var v6 = PartitionKey.ForAddress(IPAddress.Parse("2001:db8:aaaa:bbbb:1:2:3:4"));
        Assert.Equal(64, v6.PrefixLength);
        Assert.Equal(2, v6.NetworkCount);
        Assert.Equal("net:20010db8000000000000000000000000/32", v6.GetNetwork(0).ToString());
        Assert.Equal("net:20010db8aaaa00000000000000000000/48", v6.GetNetwork(1).ToString());
        Assert.True(v6.GetNetwork(0).IsNetwork);
        Assert.NotEqual(PartitionKey.ForAddress(IPAddress.Parse("2001:db8::1")).GetNetwork(1), v6.GetNetwork(0)); // a /48 of value 2001:db8:: is not the /32

        var v4 = PartitionKey.ForAddress(IPAddress.Parse("::ffff:192.0.2.77"));
        Assert.True(v4.IsIpv4);
        Assert.Equal(32, v4.PrefixLength);
        Assert.Equal(1, v4.NetworkCount);
        Assert.Equal(PartitionKey.ForAddress(IPAddress.Parse("192.0.2.1")).GetNetwork(0), v4.GetNetwork(0));
        Assert.Equal(24, v4.GetNetwork(0).PrefixLength);

        Assert.Equal(0, PartitionKey.ForAddress(null).NetworkCount);
        Assert.Equal(0, PartitionKey.ForSubject("alice").NetworkCount);
        Assert.True(PartitionKey.ForSubject("alice").IsSubject);
        Assert.Throws<ArgumentOutOfRangeException>(() => v4.GetNetwork(1));
    }
}
