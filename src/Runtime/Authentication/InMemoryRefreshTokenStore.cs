using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// A process-local <see cref="IRefreshTokenStore"/> for one instance and tests. One lock makes every
/// operation atomic (of concurrent redemptions exactly one wins); expired families are swept as new
/// tokens arrive.
/// </summary>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    private readonly Dictionary<string, Record> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _familyByAccessToken = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revokedFamilies = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _sweepAt = 1024;

    /// <summary>Creates an empty store on <paramref name="time"/> (the system clock when null).</summary>
    public InMemoryRefreshTokenStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The number of stored tokens (used ones included until their family expires).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tokens.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AddAsync(RefreshTokenEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (_revokedFamilies.Contains(entry.FamilyId))
            {
                return ValueTask.FromResult(false);
            }

            _tokens.Add(Convert.ToHexString(entry.TokenHash), new Record(entry));
            _familyByAccessToken[entry.AccessTokenId] = entry.FamilyId;
            if (_tokens.Count >= _sweepAt)
            {
                Sweep();
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<RefreshTokenRedemption> RedeemAsync(byte[] tokenHash, DateTimeOffset now, Func<RefreshTokenEntry, RefreshTokenEntry> successor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(successor);
        lock (_lock)
        {
            if (!_tokens.TryGetValue(Convert.ToHexString(tokenHash), out var record))
            {
                return ValueTask.FromResult(new RefreshTokenRedemption(RefreshTokenRedemptionStatus.NotFound, null));
            }

            var status = StatusOf(record, now);
            if (status == RefreshTokenRedemptionStatus.Redeemed)
            {
                var next = successor(record.Entry);
                _tokens.Add(Convert.ToHexString(next.TokenHash), new Record(next));
                _familyByAccessToken[next.AccessTokenId] = next.FamilyId;
                record.Used = true;
            }

            return ValueTask.FromResult(new RefreshTokenRedemption(status, record.Entry));
        }
    }

    /// <inheritdoc />
    public ValueTask<RefreshTokenRedemption> InspectAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        lock (_lock)
        {
            return ValueTask.FromResult(_tokens.TryGetValue(Convert.ToHexString(tokenHash), out var record)
                ? new RefreshTokenRedemption(StatusOf(record, now), record.Entry)
                : new RefreshTokenRedemption(RefreshTokenRedemptionStatus.NotFound, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeFamilyAsync(string familyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        return Revoke(entry => string.Equals(entry.FamilyId, familyId, StringComparison.Ordinal), [familyId]);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Revoke(entry => string.Equals(entry.Subject, subject, StringComparison.Ordinal), []);
    }

    // Revokes the families of the matching tokens (and those named, even when none of their tokens is left).
    private ValueTask<IReadOnlyList<IssuedAccessToken>> Revoke(Func<RefreshTokenEntry, bool> matches, string[] families)
    {
        var accessTokens = new List<IssuedAccessToken>();
        lock (_lock)
        {
            _revokedFamilies.UnionWith(families);
            foreach (var record in _tokens.Values)
            {
                if (matches(record.Entry))
                {
                    _revokedFamilies.Add(record.Entry.FamilyId);
                    accessTokens.Add(new IssuedAccessToken(record.Entry.AccessTokenId, record.Entry.AccessTokenExpiresAt));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IssuedAccessToken>>(accessTokens);
    }

    private RefreshTokenRedemptionStatus StatusOf(Record record, DateTimeOffset now) =>
        _revokedFamilies.Contains(record.Entry.FamilyId) ? RefreshTokenRedemptionStatus.Revoked
        : record.Used ? RefreshTokenRedemptionStatus.Reused
        : now >= record.Entry.ExpiresAt ? RefreshTokenRedemptionStatus.Expired
        : RefreshTokenRedemptionStatus.Redeemed;

    /// <inheritdoc />
    public ValueTask<string?> FindFamilyAsync(string accessTokenId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_familyByAccessToken.TryGetValue(accessTokenId, out string? family) ? family : null);
        }
    }

    // Drops tokens of families past their absolute expiry (plus a day, so late reuse is still recognised
    // as such); amortised O(1) per added token.
    private void Sweep()
    {
        var limit = _time.GetUtcNow() - TimeSpan.FromDays(1);
        var expired = new List<string>();
        foreach (var pair in _tokens)
        {
            if (pair.Value.Entry.ExpiresAt < limit)
            {
                expired.Add(pair.Key);
            }
        }

        foreach (string key in expired)
        {
            if (_tokens.Remove(key, out var record))
            {
                _familyByAccessToken.Remove(record.Entry.AccessTokenId);
            }
        }

        _sweepAt = Math.Max(1024, _tokens.Count * 2);
    }

    private sealed class Record(RefreshTokenEntry entry)
    {
        public RefreshTokenEntry Entry { get; } = entry;

        public bool Used { get; set; }
    }
}
