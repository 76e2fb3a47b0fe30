using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.RateLimiting;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>
/// Rate-limit state shared by every instance through Redis: the same GCRA as the in-memory store,
/// run as one server-side script per decision (one round trip, atomic across all rules of a policy,
/// the clock is Redis's own so instances with skewed clocks agree). Keys expire when the bucket is
/// full again, so idle clients cost nothing.
/// </summary>
/// <remarks>
/// When Redis cannot answer, the decision falls back to an in-memory store on this instance and a
/// security event and a metric are emitted (at most one event every <see cref="RedisRateLimitOptions.OutageLogInterval"/>);
/// with <see cref="RedisRateLimitOptions.FailClosed"/> the request is refused with 503 instead.
/// </remarks>
public sealed class RedisRateLimitStore : IRateLimitStore
{
    // KEYS: one per rule. ARGV: interval_ms, window_ms per rule. Returns
    // {allowed, ruleIndex, remaining, reset_ms, retry_ms}.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = #KEYS
        local tats = {}
        for i = 1, n do
          local interval = tonumber(ARGV[2 * i - 1])
          local window = tonumber(ARGV[2 * i])
          local tat = tonumber(redis.call('GET', KEYS[i]) or now)
          if tat < now then tat = now end
          local nextTat = tat + interval
          if nextTat - now > window then
            return {0, i - 1, 0, tat - now, nextTat - window - now}
          end
          tats[i] = nextTat
        end
        local report, least, reset = 0, -1, 0
        for i = 1, n do
          local interval = tonumber(ARGV[2 * i - 1])
          local window = tonumber(ARGV[2 * i])
          redis.call('SET', KEYS[i], tats[i], 'PX', tats[i] - now)
          local remaining = math.floor((window - (tats[i] - now)) / interval)
          if least < 0 or remaining < least then
            least = remaining
            report = i - 1
            reset = tats[i] - now
          end
        end
        return {1, report, least, reset, 0}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRateLimitOptions _options;
    private readonly InMemoryRateLimitStore _fallback;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _lastOutageLog = long.MinValue / 2;
    private long _downUntil;

    /// <summary>Creates the store.</summary>
    public RedisRateLimitStore(IConnectionMultiplexer redis, RedisRateLimitOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory))).CreateLogger(SecurityEvents.Category);
        _fallback = new InMemoryRateLimitStore(time);
    }

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var rules = policy.Rules;
        var keys = new RedisKey[rules.Count];
        var args = new RedisValue[rules.Count * 2];
        string partition = KeyFor(key);
        for (int i = 0; i < rules.Count; i++)
        {
            long window = (long)rules[i].Window.TotalMilliseconds;
            // The hash tag keeps every rule of one client on one cluster slot (scripts need that).
            keys[i] = $"{_options.KeyPrefix}{{{policy.Name}:{partition}}}:{window.ToString(CultureInfo.InvariantCulture)}";
            args[2 * i] = window / rules[i].Limit;
            args[(2 * i) + 1] = window;
        }

        // While Redis is known to be down, decide locally at once instead of waiting on every request.
        if (!_redis.IsConnected || _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _downUntil))
        {
            return Outage(key, policy, reason: _redis.IsConnected ? "RecentFailure" : "NotConnected");
        }

        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(Script, keys, args).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false))!;
            bool allowed = (long)result[0] == 1;
            int rule = (int)(long)result[1];
            return new RateLimitDecision(
                allowed,
                rule,
                rules[rule].Limit,
                (int)(long)result[2],
                TimeSpan.FromMilliseconds((long)result[3]),
                TimeSpan.FromMilliseconds((long)result[4]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _downUntil, _time.GetUtcNow().UtcTicks + _options.RetryAfterFailure.Ticks);
            return Outage(key, policy, ex.GetType().Name);
        }
    }

    private RateLimitDecision Outage(PartitionKey key, RateLimitPolicy policy, string reason)
    {
        RateLimitMetrics.StoreFailures.Add(1);
        LogOutage(reason);
        return _options.FailClosed ? RateLimitDecision.Unavailable : _fallback.Acquire(key, policy);
    }

    private void LogOutage(string reason)
    {
        long now = _time.GetUtcNow().UtcTicks;
        long last = Interlocked.Read(ref _lastOutageLog);
        if (now - last >= _options.OutageLogInterval.Ticks && Interlocked.CompareExchange(ref _lastOutageLog, now, last) == last)
        {
            SecurityEvents.RateLimitStoreUnavailable(_logger, "Redis", reason, _options.FailClosed ? "failing closed (503)" : "falling back to this instance's in-memory limits");
        }
    }

    // Subjects and custom keys are hashed: Redis holds no user identifiers in plain text.
    private static string KeyFor(PartitionKey key)
    {
        string text = key.ToString();
        if (text.StartsWith("ip:", StringComparison.Ordinal))
        {
            return text;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return "h:" + Convert.ToHexStringLower(hash[..16]);
    }
}

/// <summary>Options of <see cref="RedisRateLimitStore"/>.</summary>
public sealed class RedisRateLimitOptions
{
    /// <summary>The Redis connection string (StackExchange.Redis format).</summary>
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>The prefix of every key.</summary>
    public string KeyPrefix { get; set; } = "rampart:rl:";

    /// <summary>How long a decision may wait for Redis before the outage policy applies.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Refuse requests with 503 while Redis is down, instead of limiting per instance.</summary>
    public bool FailClosed { get; set; }

    /// <summary>After a failed call, how long decisions stay local before Redis is tried again.</summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest interval between two outage events in the log.</summary>
    public TimeSpan OutageLogInterval { get; set; } = TimeSpan.FromSeconds(30);
}
