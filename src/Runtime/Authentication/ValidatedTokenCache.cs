using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// The bounded cache of validated access tokens (<see cref="RampartAuthenticationOptions.EnableValidatedTokenCache"/>).
/// Entries are keyed by the SHA-256 of the whole token text (the token itself is never stored), hold the
/// validated principal until the token's <c>exp</c> (or <c>iat</c> + <c>MaxTokenAge</c>, whichever is
/// first) and never longer, and are all dropped when the key set changes. A hit skips the signature and
/// claims checks only: transport, size and revocation checks (by <c>jti</c>, and by subject against the
/// token's <c>iat</c>, which the entry keeps) run on every request.
/// When full, expired entries are swept (at most once a second) and, if it is still full, new tokens
/// are simply not cached (validated every time) — existing entries are never evicted early, so a flood
/// of distinct tokens cannot push out the entries of regular callers, and the bound is strict.
/// </summary>
public sealed class ValidatedTokenCache
{
    private const int StackHashLimit = 1024;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<TokenHash, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly Lock _sweepLock = new();
    private int _count;
    private int _capacity = RampartAuthenticationOptions.DefaultValidatedTokenCacheSize;
    private long _generation;
    private long _nextSweep;
    private int _startupProfileClaimed;
    private long _hits;
    private long _validations;

    /// <summary>Creates an empty cache reading the time from <paramref name="time"/>.</summary>
    public ValidatedTokenCache(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>The number of cached tokens; never more than <see cref="Capacity"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The maximum number of cached tokens (<see cref="RampartAuthenticationOptions.ValidatedTokenCacheSize"/>).</summary>
    public int Capacity => Volatile.Read(ref _capacity);

    /// <summary>Requests whose token was found in the cache (signature and claims checks skipped).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Tokens that went through the full signature and claims validation and passed it.</summary>
    public long Validations => Interlocked.Read(ref _validations);

    /// <summary>The current key-set generation; entries of an older one are never hits.</summary>
    internal long Generation => Interlocked.Read(ref _generation);

    /// <summary>True the first time only: the bearer profile is being built for the first time (not after a reload).</summary>
    internal bool ClaimStartupProfile() => Interlocked.Exchange(ref _startupProfileClaimed, 1) == 0;

    /// <summary>Drops every entry and starts a new key-set generation with room for <paramref name="capacity"/> tokens.</summary>
    internal long Reset(int capacity)
    {
        long generation = Interlocked.Increment(ref _generation);
        Volatile.Write(ref _capacity, capacity);
        Clear();
        return generation;
    }

    /// <summary>Drops every entry (done on every key change).</summary>
    public void Clear()
    {
        foreach (var pair in _entries)
        {
            Remove(pair.Key);
        }
    }

    /// <summary>The hash the cache is keyed by: SHA-256 of the token's UTF-8 bytes.</summary>
    internal static TokenHash Hash(ReadOnlySpan<char> token)
    {
        int max = Encoding.UTF8.GetMaxByteCount(token.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= StackHashLimit ? stackalloc byte[StackHashLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int written = Encoding.UTF8.GetBytes(token, buffer);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..written], digest);
            return new TokenHash(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The cached principal, when the token is cached, of this key-set generation and not expired: the shared
    /// read-only one when <paramref name="shared"/> (and the principal could be made read-only), else a private copy.
    /// </summary>
    internal bool TryGet(in TokenHash hash, long generation, bool shared, out CachedToken token)
    {
        token = default;
        if (!_entries.TryGetValue(hash, out var entry))
        {
            return false;
        }

        if (entry.Generation != generation || generation != Generation || _time.GetUtcNow().UtcTicks >= entry.ExpiresAtTicks)
        {
            // Expired or of an old key set: gone, and the caller validates the token in full.
            if (_entries.TryRemove(new(hash, entry)))
            {
                Interlocked.Decrement(ref _count);
            }

            return false;
        }

        Interlocked.Increment(ref _hits);
        // Shared only read-only; otherwise a copy: nothing a request does to its principal can reach another request.
        var principal = shared && entry.Principal is ReadOnlyClaimsPrincipal readOnly ? readOnly : Copy(entry.Principal);
        token = new CachedToken(principal, entry.TokenId, entry.Subject, entry.IssuedAt);
        return true;
    }

    /// <summary>Counts one full validation that passed.</summary>
    internal void CountValidation() => Interlocked.Increment(ref _validations);

    /// <summary>Caches a validated token until <paramref name="expiresAt"/>; returns false when it was not cached (full, expired, old generation).</summary>
    internal bool TryAdd(in TokenHash hash, long generation, ClaimsPrincipal principal, string tokenId, string? subject, DateTimeOffset? issuedAt, DateTimeOffset expiresAt)
    {
        long now = _time.GetUtcNow().UtcTicks;
        if (expiresAt.UtcTicks <= now || generation != Generation)
        {
            return false;
        }

        if (!TryReserve() && (!SweepExpired(now) || !TryReserve()))
        {
            return false; // Full of live entries: this token is validated in full each time.
        }

        var entry = new Entry(ReadOnlyClaimsPrincipal.TryCreate(principal) ?? Copy(principal), tokenId, subject, issuedAt, expiresAt.UtcTicks, generation);
        if (!_entries.TryAdd(hash, entry))
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        // A reset that raced with this add: drop what may be an entry of the old key set.
        if (generation != Generation)
        {
            Remove(hash);
            return false;
        }

        return true;
    }

    // A deep copy that keeps IdentityModel's case-sensitive claim look-ups (ClaimsIdentity.Clone would
    // return a case-insensitive ClaimsIdentity) and drops the reference to the parsed token, whose text
    // the cache must not keep.
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal)
    {
        var copy = new ClaimsPrincipal();
        foreach (var identity in principal.Identities)
        {
            copy.AddIdentity(identity is CaseSensitiveClaimsIdentity ? new CaseSensitiveClaimsIdentity(identity) : identity.Clone());
        }

        return copy;
    }

    // Takes one slot below the bound, never past it.
    private bool TryReserve()
    {
        int count;
        do
        {
            count = Volatile.Read(ref _count);
            if (count >= Capacity)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _count, count + 1, count) != count);
        return true;
    }

    // Removes expired entries, at most once per SweepInterval (so a flood cannot make every miss O(n));
    // true when a sweep ran.
    private bool SweepExpired(long now)
    {
        if (now < Interlocked.Read(ref _nextSweep) || !_sweepLock.TryEnter())
        {
            return false;
        }

        try
        {
            Interlocked.Exchange(ref _nextSweep, now + SweepInterval.Ticks);
            long generation = Generation;
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAtTicks <= now || pair.Value.Generation != generation)
                {
                    if (_entries.TryRemove(pair))
                    {
                        Interlocked.Decrement(ref _count);
                    }
                }
            }

            return true;
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    private void Remove(in TokenHash hash)
    {
        if (_entries.TryRemove(hash, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private sealed record Entry(ClaimsPrincipal Principal, string TokenId, string? Subject, DateTimeOffset? IssuedAt, long ExpiresAtTicks, long Generation);

    /// <summary>SHA-256 of a token, as four 64-bit words.</summary>
    internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
    {
        public TokenHash(ReadOnlySpan<byte> digest)
            : this(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]))
        {
        }
    }

    /// <summary>A cache hit: a private copy of the principal, and the token's <c>jti</c>, <c>sub</c> and <c>iat</c> for the revocation check.</summary>
    internal readonly record struct CachedToken(ClaimsPrincipal Principal, string TokenId, string? Subject, DateTimeOffset? IssuedAt);
}
