using System;
using System.Collections.Concurrent;

namespace Rampart.Authentication;

/// <summary>
/// The subject revocations a store holds in memory: per subject, the first second whose tokens are valid again
/// (tokens with an earlier <c>iat</c> are revoked) and until when the entry is kept. A later revocation of the
/// same subject moves both forward, never back.
/// </summary>
internal sealed class SubjectRevocations
{
    private readonly ConcurrentDictionary<string, Marker> _markers = new(StringComparer.Ordinal);

    // Until a first subject is listed, a check costs a field read instead of hashing the subject.
    private volatile bool _any;

    /// <summary>
    /// <paramref name="notBefore"/> as Unix seconds, rounded up: a token issued at or after it has an <c>iat</c> of at
    /// least that second, and one issued before it has an earlier <c>iat</c> or the same second (revoked either way).
    /// </summary>
    public static long Seconds(DateTimeOffset notBefore)
    {
        long seconds = notBefore.ToUnixTimeSeconds();
        return notBefore.UtcTicks % TimeSpan.TicksPerSecond == 0 ? seconds : seconds + 1;
    }

    public void List(string subject, long notBeforeSeconds, long keepUntilTicks)
    {
        _markers.AddOrUpdate(subject, static (_, added) => added,
            static (_, listed, added) => new Marker(Math.Max(listed.NotBefore, added.NotBefore), Math.Max(listed.KeepUntilTicks, added.KeepUntilTicks)),
            new Marker(notBeforeSeconds, keepUntilTicks));
        _any = true;
    }

    // A token without iat counts as issued before. The keep-until time is not checked: past it every token the
    // entry covers has expired anyway.
    public bool IsRevoked(string? subject, DateTimeOffset? issuedAt) =>
        _any && subject is not null && _markers.TryGetValue(subject, out var marker)
        && (issuedAt is not { } issued || issued.ToUnixTimeSeconds() < marker.NotBefore);

    /// <summary>Drops the entries kept until before <paramref name="nowTicks"/>.</summary>
    public void Prune(long nowTicks)
    {
        foreach (var pair in _markers)
        {
            if (pair.Value.KeepUntilTicks < nowTicks)
            {
                _markers.TryRemove(pair);
            }
        }
    }

    public void Clear() => _markers.Clear();

    private readonly record struct Marker(long NotBefore, long KeepUntilTicks);
}
