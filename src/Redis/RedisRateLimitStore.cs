using System;
using System.Collections.Generic;
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
/// <para>The network budgets of the in-memory store apply here too (<see cref="RedisRateLimitOptions.Networks"/>):
/// an address whose keys do not exist (new, or idle long enough to have expired) is first counted against its
/// /48 and /32 (IPv6) or /24 (IPv4), in the same script, and refused without a key of its own when one of them
/// has spent its budget. Every key of an address shares the hash tag of its widest network, so a script touches
/// one cluster slot.</para>
/// <para>When Redis cannot answer, the decision falls back to an in-memory store on this instance and a
/// security event and a metric are emitted (at most one event every <see cref="RedisRateLimitOptions.OutageLogInterval"/>);
/// with <see cref="RedisRateLimitOptions.FailClosed"/> the request is refused with 503 instead.</para>
/// </remarks>
public sealed class RedisRateLimitStore : IRateLimitStore
{
    // KEYS: the partition's key per rule, then each network level's key per rule (widest first).
    // ARGV: rules, levels, then interval_ms and window_ms per rule, then each level's interval_ms per rule.
    // Returns {allowed, ruleIndex, remaining, reset_ms, retry_ms, refusing level (1-based, 0: the partition)}.
    // Everything is checked before anything is written: a refusal changes no key.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local n = tonumber(ARGV[1])
        local levels = tonumber(ARGV[2])
        local writes = {}
        local function check(base, intervalOf)
          for i = 1, n do
            local interval = intervalOf(i)
            local window = tonumber(ARGV[2 + 2 * i])
            local tat = tonumber(redis.call('GET', KEYS[base + i]) or now)
            if tat < now then tat = now end
            local nextTat = tat + interval
            if nextTat - now > window then
              return {i - 1, nextTat - window - now, tat - now}
            end
            writes[#writes + 1] = {KEYS[base + i], nextTat}
          end
          return nil
        end
        local function own(i) return tonumber(ARGV[1 + 2 * i]) end
        if levels > 0 and redis.call('EXISTS', unpack(KEYS, 1, n)) == 0 then
          for l = 1, levels do
            local offset = 2 + 2 * n + (l - 1) * n
            local refused = check(n * l, function(i) return tonumber(ARGV[offset + i]) end)
            if refused then return {0, refused[1], 0, refused[3], refused[2], l} end
          end
        end
        local refused = check(0, own)
        if refused then return {0, refused[1], 0, refused[3], refused[2], 0} end
        for _, w in ipairs(writes) do
          redis.call('SET', w[1], w[2], 'PX', w[2] - now)
        end
        local report, least, reset = 0, -1, 0
        for i = 1, n do
          local tat = writes[#writes - n + i][2]
          local remaining = math.floor((tonumber(ARGV[2 + 2 * i]) - (tat - now)) / own(i))
          if least < 0 or remaining < least then
            least = remaining
            report = i - 1
            reset = tat - now
          end
        end
        return {1, report, least, reset, 0, 0}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisRateLimitOptions _options;
    private readonly InMemoryRateLimitStore _fallback;
    private readonly RedisOutage _outage;

    /// <summary>Creates the store.</summary>
    public RedisRateLimitStore(IConnectionMultiplexer redis, RedisRateLimitOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(time);
        var logger = (loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory))).CreateLogger(SecurityEvents.Category);
        var fallback = new RateLimitStoreOptions();
        fallback.Networks.Ipv6Slash32 = options.Networks.Ipv6Slash32;
        fallback.Networks.Ipv6Slash48 = options.Networks.Ipv6Slash48;
        fallback.Networks.Ipv4Slash24 = options.Networks.Ipv4Slash24;
        _fallback = new InMemoryRateLimitStore(time, fallback, logger);
        _outage = new RedisOutage(redis, options, logger, time);
    }

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var rules = policy.Rules;
        int n = rules.Count;
        var levels = new List<PartitionKey>(2);
        for (int i = 0; i < key.NetworkCount; i++)
        {
            if (_options.Networks.FactorFor(key.GetNetwork(i)) > 0)
            {
                levels.Add(key.GetNetwork(i));
            }
        }

        string partition = KeyFor(key);
        // The hash tag keeps every key of one script on one cluster slot (scripts need that).
        string tag = key.NetworkCount > 0 ? key.GetNetwork(0).ToString() : partition;
        var keys = new RedisKey[n * (1 + levels.Count)];
        var args = new RedisValue[2 + (2 * n) + (n * levels.Count)];
        args[0] = n;
        args[1] = levels.Count;
        for (int i = 0; i < n; i++)
        {
            long window = (long)rules[i].Window.TotalMilliseconds;
            keys[i] = RuleKey(policy, tag, key.NetworkCount > 0 ? partition : null, window);
            args[2 + (2 * i)] = window / rules[i].Limit;
            args[3 + (2 * i)] = window;
            for (int l = 0; l < levels.Count; l++)
            {
                keys[(n * (l + 1)) + i] = RuleKey(policy, tag, levels[l].ToString(), window);
                args[2 + (2 * n) + (n * l) + i] = Math.Max(1, window / ((long)rules[i].Limit * _options.Networks.FactorFor(levels[l])));
            }
        }

        // While Redis is known to be down, decide locally at once instead of waiting on every request.
        if (_outage.Reason() is { } reason)
        {
            return Outage(key, policy, reason);
        }

        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(Script, keys, args).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false))!;
            bool allowed = (long)result[0] == 1;
            int rule = (int)(long)result[1];
            int level = (int)(long)result[5];
            int limit = level == 0 ? rules[rule].Limit : (int)Math.Min(int.MaxValue, (long)rules[rule].Limit * _options.Networks.FactorFor(levels[level - 1]));
            return new RateLimitDecision(
                allowed,
                rule,
                limit,
                (int)(long)result[2],
                TimeSpan.FromMilliseconds((long)result[3]),
                TimeSpan.FromMilliseconds((long)result[4]))
            {
                NetworkPrefixLength = level == 0 ? 0 : levels[level - 1].PrefixLength,
            };
        }
        catch (Exception ex) when (RedisOutage.IsOutage(ex, cancellationToken))
        {
            _outage.Failed();
            return Outage(key, policy, ex.GetType().Name);
        }
    }

    // {prefix}{policy:tag}:window for a partition that is its own tag, {prefix}{policy:tag}:item:window otherwise.
    private RedisKey RuleKey(RateLimitPolicy policy, string tag, string? item, long windowMs) =>
        item is null
            ? $"{_options.KeyPrefix}{{{policy.Name}:{tag}}}:{windowMs.ToString(CultureInfo.InvariantCulture)}"
            : $"{_options.KeyPrefix}{{{policy.Name}:{tag}}}:{item}:{windowMs.ToString(CultureInfo.InvariantCulture)}";

    private RateLimitDecision Outage(PartitionKey key, RateLimitPolicy policy, string reason)
    {
        _outage.DecidedLocally(reason);
        return _options.FailClosed ? RateLimitDecision.Unavailable : _fallback.Acquire(key, policy);
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
