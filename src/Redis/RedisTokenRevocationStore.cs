using System;
using System.Threading;
using System.Threading.Tasks;
using Rampart.Authentication;
using StackExchange.Redis;

namespace Rampart.Redis;

/// <summary>
/// A revocation deny-list shared by every instance through Redis: one key per revoked <c>jti</c> that
/// expires with the token (its <c>exp</c> plus five minutes, the largest clock skew allowed), so the
/// list never outgrows the tokens that could still be accepted, and one key per revoked subject holding the
/// first second (Unix time) whose tokens are valid again, expiring at its <c>keepUntil</c>. A check reads both
/// keys in one round trip (two pipelined commands, so the keys may live on different cluster nodes). Redis
/// errors propagate, and the authentication step turns them into 503 (fail closed).
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

    // Moves the subject's point forward, never back, and its expiry later, never earlier.
    private const string RevokeSubjectScript = """
        local listed = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
        local value = ARGV[1]
        if listed > tonumber(ARGV[1]) then
          value = tostring(listed)
        end
        local ttl = redis.call('PTTL', KEYS[1])
        local px = tonumber(ARGV[2])
        if ttl > px then
          px = ttl
        end
        redis.call('SET', KEYS[1], value, 'PX', px)
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
        if (options.SubjectKeyPrefix.StartsWith(options.KeyPrefix, StringComparison.Ordinal) || options.KeyPrefix.StartsWith(options.SubjectKeyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException("RedisTokenRevocationOptions: KeyPrefix and SubjectKeyPrefix must not start with one another (a token id could name a subject's key).", nameof(options));
        }

        _redis = redis;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        var database = _redis.GetDatabase();
        var listed = database.KeyExistsAsync(Key(tokenId));
        if (subject is null)
        {
            return await listed.WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        }

        var marker = database.StringGetAsync(SubjectKey(subject));
        await Task.WhenAll(listed, marker).WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
        if (listed.Result)
        {
            return true;
        }

        if (marker.Result.IsNull)
        {
            return false;
        }

        // A value that is not a number was not written by this store: fail closed.
        return !long.TryParse(marker.Result.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long notBefore)
            || issuedAt is not { } issued || issued.ToUnixTimeSeconds() < notBefore;
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

    /// <inheritdoc />
    public async ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        // Whole seconds, rounded up (as iat: a token of the revocation's own second is revoked too).
        long seconds = notBefore.ToUnixTimeSeconds() + (notBefore.UtcTicks % TimeSpan.TicksPerSecond == 0 ? 0 : 1);
        long milliseconds = (long)Math.Ceiling((keepUntil - _time.GetUtcNow()).TotalMilliseconds);
        if (milliseconds <= 0)
        {
            return; // every token it would revoke has expired
        }

        await _redis.GetDatabase().ScriptEvaluateAsync(RevokeSubjectScript, [SubjectKey(subject)],
                [seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), milliseconds])
            .WaitAsync(_options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    private RedisKey Key(string tokenId) => _options.KeyPrefix + tokenId;

    private RedisKey SubjectKey(string subject) => _options.SubjectKeyPrefix + subject;
}
