using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.RateLimiting;
using StackExchange.Redis;
using Xunit;

namespace Rampart.Redis.Tests;

/// <summary>
/// The Redis store applies the same network budgets as the in-memory one (issue 16, item 5): a new partition
/// of an address is also counted against its /48 and /32 (IPv6) or /24 (IPv4), so hopping across one
/// network's /64s gains new quota only at the network's rate.
/// </summary>
[Collection(RedisServer.Collection)]
public sealed class RedisNetworkBudgetTests : IDisposable
{
    private readonly RedisServer _redis = new();

    public void Dispose() => _redis.Dispose();

    private async Task<(RedisRateLimitStore Store, ConnectionMultiplexer Connection)> StoreAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        return (new RedisRateLimitStore(connection, new RedisRateLimitOptions { ConnectionString = _redis.ConnectionString }, NullLoggerFactory.Instance, TimeProvider.System), connection);
    }

    [Fact]
    public async Task Hopping_across_the_64s_of_one_48_is_bounded_by_the_48s_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, connection) = await StoreAsync();
        using (connection)
        {
            // An hour, so nothing refills while the test runs: the /48 may add 16 × 5 = 80 partitions.
            var policy = RateLimitPolicy.Parse("login", "5/hour");
            int admitted = 0;
            for (int i = 0; i < 200; i++)
            {
                var key = PartitionKey.ForAddress(IPAddress.Parse($"2001:db8:1:{i:x}::1"));
                admitted += (await store.AcquireAsync(key, policy, ct)).IsAllowed ? 1 : 0;
            }

            Assert.Equal(80, admitted);

            // Partitions that exist keep their own quota; another /48 of the /32 and another /32 are not affected.
            Assert.True((await store.AcquireAsync(PartitionKey.ForAddress(IPAddress.Parse("2001:db8:1:0::2")), policy, ct)).IsAllowed);
            Assert.True((await store.AcquireAsync(PartitionKey.ForAddress(IPAddress.Parse("2001:db8:2::1")), policy, ct)).IsAllowed);
            Assert.True((await store.AcquireAsync(PartitionKey.ForAddress(IPAddress.Parse("2a01:4f8::1")), policy, ct)).IsAllowed);

            // Every key expires on its own.
            var server = connection.GetServer(connection.GetEndPoints().Single());
            foreach (var k in server.Keys(pattern: "rampart:rl:*"))
            {
                var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(k);
                Assert.NotNull(ttl);
                Assert.True(ttl <= TimeSpan.FromHours(1), $"{k} lives {ttl}");
            }
        }
    }

    [Fact]
    public async Task The_addresses_of_one_ipv4_24_share_its_budget_for_new_partitions()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, connection) = await StoreAsync();
        using (connection)
        {
            var policy = RateLimitPolicy.Parse("login", "1/hour");
            int admitted = 0;
            for (int i = 0; i < 64; i++)
            {
                admitted += (await store.AcquireAsync(PartitionKey.ForAddress(IPAddress.Parse("192.0.2." + i)), policy, ct)).IsAllowed ? 1 : 0;
            }

            Assert.Equal(16, admitted);
        }
    }
}
