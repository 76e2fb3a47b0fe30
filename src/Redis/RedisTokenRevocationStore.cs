using System;
using System.Threading;
using System.Threading.Tasks;
using Rampart.Authentication;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>
/// A revocation deny-list shared by every instance through Redis: one key per revoked <c>jti</c> that
/// expires with the token (its <c>exp</c> plus five minutes, the largest clock skew allowed), so the
/// list never outgrows the tokens that could still be accepted. Redis errors propagate, and the
/// authentication step turns them into 503 (fail closed).
/// </summary>
public sealed class RedisTokenRevocationStore : ITokenRevocationStore
{
    // Sets the key unless it already lives longer: a second revocation never shortens the first.
    private const string RevokeScript = """
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        end
        return 1
        """;

    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisTokenRevocationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a store on <paramref name="redis"/>.</summary>
    public RedisTokenRevocationStore(IConnectionMultiplexer redis, RedisTokenRevocationOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return await _redis.GetDatabase().KeyExistsAsync(Key(tokenId)).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        long milliseconds = (long)Math.Ceiling((expiresAt + Retention - _time.GetUtcNow()).TotalMilliseconds);
        if (milliseconds <= 0)
        {
            return; // the token can no longer be accepted anyway
        }

        await _redis.GetDatabase().ScriptEvaluateAsync(RevokeScript, [Key(tokenId)], [milliseconds])
            .WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    private RedisKey Key(string tokenId) => _options.KeyPrefix + tokenId;
}

/// <summary>Options of <see cref="RedisTokenRevocationStore"/>.</summary>
public sealed class RedisTokenRevocationOptions
{
    /// <summary>The StackExchange.Redis configuration string; default <c>localhost:6379</c>.</summary>
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>The prefix of the deny-list keys; default <c>rampart:revoked:</c>.</summary>
    public string KeyPrefix { get; set; } = "rampart:revoked:";

    /// <summary>How long a check may take before the request fails closed (503); default 500 ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
