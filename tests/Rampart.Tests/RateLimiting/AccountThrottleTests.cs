using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Logging;
using Rampart.RateLimiting;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.RateLimiting;

/// <summary>The per-account throttle on the in-memory store, on a fake clock.</summary>
public sealed class AccountThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (AccountThrottle Throttle, FakeTimeProvider Time, InMemoryAccountThrottleStore Store) Create(AccountThrottleOptions? options = null, ILogger? logger = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryAccountThrottleStore(time);
        return (new AccountThrottle(store, options ?? new AccountThrottleOptions(), logger), time, store);
    }

    [Fact]
    public async Task Five_attempts_then_a_lock_that_doubles_up_to_the_longest_and_a_success_resets()
    {
        var logs = new CapturingLoggerProvider();
        var (throttle, time, _) = Create(logger: logs.CreateLogger(SecurityEvents.Category));
        for (int i = 1; i <= 4; i++)
        {
            Assert.Equal(new AccountAttempt(true, i, TimeSpan.Zero), await throttle.BeginAttemptAsync("alice", Ct));
        }

        Assert.Equal(new AccountAttempt(true, 5, TimeSpan.FromMinutes(1)), await throttle.BeginAttemptAsync("alice", Ct));
        var locked = await throttle.BeginAttemptAsync("alice", Ct);
        Assert.False(locked.IsAllowed);
        Assert.Equal(60, locked.RetryAfterSeconds);

        // Refused attempts do not extend the lock; each allowed one after it doubles the next.
        int[] expectedMinutes = [2, 4, 8, 15, 15];
        time.Advance(TimeSpan.FromMinutes(1));
        foreach (int minutes in expectedMinutes)
        {
            var attempt = await throttle.BeginAttemptAsync("alice", Ct);
            Assert.True(attempt.IsAllowed);
            Assert.Equal(TimeSpan.FromMinutes(minutes), attempt.LockedFor);
            time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
            Assert.False((await throttle.BeginAttemptAsync("alice", Ct)).IsAllowed);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await throttle.SucceededAsync("alice", Ct);
        Assert.Equal(new AccountAttempt(true, 1, TimeSpan.Zero), await throttle.BeginAttemptAsync("alice", Ct));

        // One event per lock, naming a digest of the account, never the name.
        var events = logs.Entries.Where(e => e.EventId.Id == SecurityEvents.AccountLockedId).ToList();
        Assert.Equal(1 + expectedMinutes.Length, events.Count);
        Assert.All(events, e => Assert.DoesNotContain("alice", e.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("ALICE")]
    [InlineData("  alice ")]
    public async Task Spellings_of_one_name_are_one_account(string spelling)
    {
        var (throttle, _, _) = Create();
        for (int i = 0; i < 5; i++)
        {
            await throttle.BeginAttemptAsync("alice", Ct);
        }

        Assert.False((await throttle.BeginAttemptAsync(spelling, Ct)).IsAllowed);
        Assert.True((await throttle.BeginAttemptAsync("alice2", Ct)).IsAllowed);
    }

    [Fact]
    public async Task Parallel_guesses_cannot_pass_before_the_lock()
    {
        var (throttle, _, _) = Create();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await throttle.BeginAttemptAsync("alice", Ct);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);
        Assert.Equal(5, results.Count(r => r.IsAllowed));
    }

    [Fact]
    public async Task Counts_are_forgotten_a_day_after_the_last_attempt()
    {
        var (throttle, time, _) = Create();
        for (int i = 0; i < 4; i++)
        {
            await throttle.BeginAttemptAsync("alice", Ct);
        }

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await throttle.BeginAttemptAsync("alice", Ct)).Attempts);
    }

    [Fact]
    public async Task The_store_stays_bounded_and_keeps_locked_accounts_over_unlocked_ones()
    {
        var (throttle, time, store) = Create(new AccountThrottleOptions { MaxAccounts = 100 });
        for (int i = 0; i < 5; i++)
        {
            await throttle.BeginAttemptAsync("victim", Ct);
        }

        for (int i = 0; i < 10_000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True((await throttle.BeginAttemptAsync("spray-" + i, Ct)).IsAllowed);
        }

        Assert.InRange(store.Count, 1, 101);
        // The locked account was not among the least recently tried unlocked ones that made room.
        Assert.False((await throttle.BeginAttemptAsync("victim", Ct)).IsAllowed);
    }

    [Fact]
    public void Options_that_make_no_sense_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new AccountThrottleOptions { FreeAttempts = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new AccountThrottleOptions { MaxLockout = TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(new AccountThrottleOptions { ForgetAfter = TimeSpan.FromMinutes(1) }));
    }
}
