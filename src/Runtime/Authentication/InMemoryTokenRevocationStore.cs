using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// A process-local <see cref="ITokenRevocationStore"/>, the default: right for one instance (and tests);
/// with several instances use a shared store. Entries live until the token's expiry plus five minutes
/// (the largest clock skew allowed) and are swept as new revocations arrive, so memory is bounded by the
/// revocations of one token lifetime; subject revocations until their <c>keepUntil</c>.
/// </summary>
public sealed class InMemoryTokenRevocationStore : ITokenRevocationStore
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal);
    private readonly SubjectRevocations _subjects = new();
    private readonly TimeProvider _time;
    private int _sweepAt = 1024;

    /// <summary>Creates an empty store on <paramref name="time"/> (the system clock when null).</summary>
    public InMemoryTokenRevocationStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The number of entries held (expired ones included until the next sweep).</summary>
    public int Count => _revoked.Count;

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        return ValueTask.FromResult(_revoked.ContainsKey(tokenId) || _subjects.IsRevoked(subject, issuedAt));
    }

    /// <inheritdoc />
    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        _subjects.List(subject, SubjectRevocations.Seconds(notBefore), keepUntil.UtcTicks);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        long keepUntil = (expiresAt + Retention).UtcTicks;
        _revoked.AddOrUpdate(tokenId, keepUntil, (_, existing) => Math.Max(existing, keepUntil));
        if (_revoked.Count >= Volatile.Read(ref _sweepAt))
        {
            Sweep();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops the entries of tokens that can no longer be accepted anyway.</summary>
    public void Sweep()
    {
        long now = _time.GetUtcNow().UtcTicks;
        foreach (var entry in _revoked)
        {
            if (entry.Value < now)
            {
                _revoked.TryRemove(entry);
            }
        }

        _subjects.Prune(now);

        // Sweep again when the live set has doubled: amortized O(1) per revocation.
        Volatile.Write(ref _sweepAt, Math.Max(1024, _revoked.Count * 2));
    }
}
