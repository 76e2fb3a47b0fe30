using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.RateLimiting;

/// <summary>
/// The process-local <see cref="IAccountThrottleStore"/>: one small entry per account tried, forgotten
/// <see cref="AccountThrottleOptions.ForgetAfter"/> after its last attempt. Bounded by
/// <see cref="AccountThrottleOptions.MaxAccounts"/>: when full, forgotten entries are removed, then a tenth, the
/// least recently tried unlocked accounts first. Attempts are rare next to requests (each costs a password hash), so each entry
/// is updated under its own lock.
/// </summary>
public sealed class InMemoryAccountThrottleStore : IAccountThrottleStore
{
    private readonly ConcurrentDictionary<string, Entry> _accounts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly object _trimLock = new();

    /// <summary>Creates the store.</summary>
    public InMemoryAccountThrottleStore(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>The accounts held.</summary>
    public int Count => _accounts.Count;

    /// <inheritdoc />
    public ValueTask<AccountAttempt> BeginAttemptAsync(string account, AccountThrottleOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        long now = _time.GetUtcNow().UtcTicks;
        if (!_accounts.TryGetValue(account, out Entry? entry))
        {
            if (_accounts.Count >= options.MaxAccounts)
            {
                Trim(now, options);
            }

            entry = _accounts.GetOrAdd(account, static _ => new Entry());
        }

        lock (entry)
        {
            if (entry.LockedUntil > now)
            {
                return new(new AccountAttempt(false, entry.Attempts, TimeSpan.FromTicks(entry.LockedUntil - now)));
            }

            if (now - entry.LastAttempt >= options.ForgetAfter.Ticks)
            {
                entry.Attempts = 0;
            }

            entry.Attempts++;
            entry.LastAttempt = now;
            TimeSpan lockout = options.LockoutAfter(entry.Attempts);
            entry.LockedUntil = now + lockout.Ticks;
            return new(new AccountAttempt(true, entry.Attempts, lockout));
        }
    }

    /// <inheritdoc />
    public ValueTask ResetAsync(string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        _accounts.TryRemove(account, out _);
        return ValueTask.CompletedTask;
    }

    private void Trim(long now, AccountThrottleOptions options)
    {
        if (!Monitor.TryEnter(_trimLock))
        {
            return; // another request is trimming; the table may exceed its bound by the requests in flight
        }

        try
        {
            var candidates = new List<(bool Locked, long LastAttempt, string Account)>();
            foreach (var (account, entry) in _accounts)
            {
                lock (entry)
                {
                    if (now - entry.LastAttempt >= options.ForgetAfter.Ticks && entry.LockedUntil <= now)
                    {
                        _accounts.TryRemove(account, out _);
                    }
                    else
                    {
                        candidates.Add((entry.LockedUntil > now, entry.LastAttempt, account));
                    }
                }
            }

            if (_accounts.Count < options.MaxAccounts)
            {
                return;
            }

            // Still full: a tenth goes, the least recently tried unlocked accounts first, locked ones only after them.
            candidates.Sort((a, b) => a.Locked != b.Locked ? a.Locked.CompareTo(b.Locked) : a.LastAttempt.CompareTo(b.LastAttempt));
            int remove = Math.Max(1, options.MaxAccounts / 10);
            for (int i = 0; i < candidates.Count && i < remove; i++)
            {
                _accounts.TryRemove(candidates[i].Account, out _);
            }
        }
        finally
        {
            Monitor.Exit(_trimLock);
        }
    }

    private sealed class Entry
    {
        public int Attempts;
        public long LastAttempt = long.MinValue / 2;
        public long LockedUntil;
    }
}
