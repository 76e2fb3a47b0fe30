using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.RateLimiting;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>
/// The <see cref="IAccountThrottleStore"/> shared by every instance through Redis: one small hash per account
/// tried (attempts, locked-until), updated by one script per attempt on Redis's clock, expiring
/// <see cref="AccountThrottleOptions.ForgetAfter"/> after the last attempt. Keys are the throttle's digests of
/// the names, never the names. Outages follow the rate-limit store's policy (<see cref="RedisRateLimitOptions"/>):
/// decisions fall back to this instance's memory, or with <see cref="RedisRateLimitOptions.FailClosed"/> the
/// attempt is refused for <see cref="RedisRateLimitOptions.RetryAfterFailure"/>.
/// </summary>
public sealed class RedisAccountThrottleStore : IAccountThrottleStore
{
    // KEYS[1]: the account. ARGV: free attempts, first lock ms, longest lock ms, forget after ms.
    // Returns {allowed, attempts, locked ms}.
    private const string AttemptScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'l') or '0')
        if lockedUntil > now then
          return {0, tonumber(redis.call('HGET', KEYS[1], 'n') or '0'), lockedUntil - now}
        end
        local attempts = redis.call('HINCRBY', KEYS[1], 'n', 1)
        local ttl = tonumber(ARGV[4])
        local lock = 0
        if attempts >= tonumber(ARGV[1]) then
          local doublings = attempts - tonumber(ARGV[1])
          if doublings > 30 then doublings = 30 end
          lock = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ doublings)
          lock = math.floor(lock)
          redis.call('HSET', KEYS[1], 'l', now + lock)
          if lock > ttl then ttl = lock end
        end
        redis.call('PEXPIRE', KEYS[1], ttl)
        return {1, attempts, lock}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRateLimitOptions _options;
    private readonly InMemoryAccountThrottleStore _fallback;
    private readonly RedisOutage _outage;

    /// <summary>Creates the store, with the connection and outage settings of the rate-limit store.</summary>
    public RedisAccountThrottleStore(IConnectionMultiplexer redis, RedisRateLimitOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(time);
        _fallback = new InMemoryAccountThrottleStore(time);
        _outage = new RedisOutage(redis, options, loggerFactory.CreateLogger(SecurityEvents.Category), time);
    }

    /// <inheritdoc />
    public async ValueTask<AccountAttempt> BeginAttemptAsync(string account, AccountThrottleOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        if (_outage.Reason() is { } reason)
        {
            return await OutageAsync(account, options, reason, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(AttemptScript, [Key(account)],
                [options.FreeAttempts, (long)options.FirstLockout.TotalMilliseconds, (long)options.MaxLockout.TotalMilliseconds, (long)options.ForgetAfter.TotalMilliseconds])
                .WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false))!;
            return new AccountAttempt((long)result[0] == 1, (int)(long)result[1], TimeSpan.FromMilliseconds((long)result[2]));
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex, cancellationToken))
        {
            _outage.Failed();
            return await OutageAsync(account, options, ex.GetType().Name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask ResetAsync(string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await _fallback.ResetAsync(account, cancellationToken).ConfigureAwait(false);
        if (_outage.Reason() is not null)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().KeyDeleteAsync(Key(account)).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex, cancellationToken))
        {
            // The count stays until it expires: the owner may meet a lock that a success should have cleared.
            _outage.Failed();
            _outage.DecidedLocally(ex.GetType().Name);
        }
    }

    private RedisKey Key(string account) => _options.KeyPrefix + account;

    private ValueTask<AccountAttempt> OutageAsync(string account, AccountThrottleOptions options, string reason, CancellationToken cancellationToken)
    {
        _outage.DecidedLocally(reason);
        return _options.FailClosed
            ? new(new AccountAttempt(false, 0, _options.RetryAfterFailure))
            : _fallback.BeginAttemptAsync(account, options, cancellationToken);
    }
}
