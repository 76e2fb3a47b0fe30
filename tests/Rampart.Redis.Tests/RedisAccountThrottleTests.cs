using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.RateLimiting;
using StackExchange.Redis;
using Xunit;

namespace Rampart.Redis.Tests;

/// <summary>The account throttle on Redis: two instances see one count, a success on either resets it, keys expire and hold no name.</summary>
[Collection(RedisServer.Collection)]
public sealed class RedisAccountThrottleTests : IDisposable
{
    private readonly RedisServer _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task Two_instances_share_the_count_and_the_lock_and_a_success_on_either_resets_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var options = new RedisRateLimitOptions { ConnectionString = _redis.ConnectionString };
        var throttleOptions = new AccountThrottleOptions();
        var a = new AccountThrottle(new RedisAccountThrottleStore(connection, options, NullLoggerFactory.Instance, TimeProvider.System), throttleOptions);
        var b = new AccountThrottle(new RedisAccountThrottleStore(connection, options, NullLoggerFactory.Instance, TimeProvider.System), throttleOptions);

        for (int i = 1; i <= 5; i++)
        {
            var attempt = await (i % 2 == 0 ? a : b).BeginAttemptAsync("Alice", ct);
            Assert.True(attempt.IsAllowed, $"attempt {i}");
            Assert.Equal(i, attempt.Attempts);
        }

        // The fifth attempt started a lock of a minute, seen by both instances.
        var locked = await a.BeginAttemptAsync("alice", ct);
        Assert.False(locked.IsAllowed);
        Assert.InRange(locked.LockedFor, TimeSpan.FromSeconds(55), TimeSpan.FromMinutes(1));
        Assert.False((await b.BeginAttemptAsync(" ALICE ", ct)).IsAllowed);

        // Unknown names count and lock the same way; another name is not affected.
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await a.BeginAttemptAsync("nobody", ct)).IsAllowed);
        }

        Assert.False((await b.BeginAttemptAsync("nobody", ct)).IsAllowed);
        Assert.True((await b.BeginAttemptAsync("carol", ct)).IsAllowed);

        // A success (here on b) resets the count for every instance.
        await b.SucceededAsync("alice", ct);
        var fresh = await a.BeginAttemptAsync("alice", ct);
        Assert.True(fresh.IsAllowed);
        Assert.Equal(1, fresh.Attempts);

        // Keys are digests of the names and expire.
        var server = connection.GetServer(connection.GetEndPoints().Single());
        var keys = server.Keys(pattern: "rampart:rl:acct:*").ToList();
        Assert.Equal(3, keys.Count);
        Assert.DoesNotContain(keys, k => k.ToString().Contains("alice", StringComparison.OrdinalIgnoreCase) || k.ToString().Contains("nobody", StringComparison.Ordinal));
        foreach (var k in keys)
        {
            var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(k);
            Assert.NotNull(ttl);
            Assert.True(ttl <= throttleOptions.ForgetAfter, $"{k} lives {ttl}");
        }
    }

    [Fact]
    public async Task The_lock_doubles_with_each_further_attempt_up_to_the_longest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        // Locks short enough to wait out in a test: 200 ms, doubling, at most 400 ms.
        var throttleOptions = new AccountThrottleOptions { FreeAttempts = 2, FirstLockout = TimeSpan.FromMilliseconds(200), MaxLockout = TimeSpan.FromMilliseconds(400) };
        var throttle = new AccountThrottle(new RedisAccountThrottleStore(connection, new RedisRateLimitOptions(), NullLoggerFactory.Instance, TimeProvider.System), throttleOptions);
        Assert.Equal(TimeSpan.Zero, (await throttle.BeginAttemptAsync("dave", ct)).LockedFor);
        Assert.Equal(TimeSpan.FromMilliseconds(200), (await throttle.BeginAttemptAsync("dave", ct)).LockedFor);
        var third = await WaitUntilAllowedAsync(throttle, ct);
        Assert.Equal(TimeSpan.FromMilliseconds(400), third.LockedFor);
        var fourth = await WaitUntilAllowedAsync(throttle, ct);
        Assert.Equal(TimeSpan.FromMilliseconds(400), fourth.LockedFor); // capped
    }

    // Waits out the lock Redis reports (on Redis's clock), then makes the next attempt.
    private static async Task<AccountAttempt> WaitUntilAllowedAsync(AccountThrottle throttle, System.Threading.CancellationToken ct)
    {
        while (true)
        {
            var attempt = await throttle.BeginAttemptAsync("dave", ct);
            if (attempt.IsAllowed)
            {
                return attempt;
            }

            await Task.Delay(attempt.LockedFor + TimeSpan.FromMilliseconds(5), ct);
        }
    }
}
