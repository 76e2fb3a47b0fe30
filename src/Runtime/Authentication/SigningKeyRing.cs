using System;
using System.Collections.Generic;
using System.Threading;

namespace Rampart.Authentication;

/// <summary>
/// The keys tokens are validated with right now: the configured keys plus, when a JWKS document is
/// configured, the keys fetched from it. Every change of the set starts a new generation of the
/// validated-token cache (the cache is reset <em>before</em> the new set is published, so a token
/// validated with a withdrawn key can never be cached under the new generation).
/// </summary>
internal sealed class SigningKeyRing
{
    private readonly ValidatedTokenCache _cache;
    private readonly Lock _lock = new();
    private RampartSigningKey[] _configured = [];
    private RampartSigningKey[] _remote = [];
    private RampartAuthenticationOptions? _options;
    private long _optionsVersion;
    private volatile Snapshot? _current;

    public SigningKeyRing(ValidatedTokenCache cache) => _cache = cache;

    /// <summary>The validated-token cache whose generations follow this key set.</summary>
    public ValidatedTokenCache Cache => _cache;

    /// <summary>The current key set; null until the profile has been built.</summary>
    public Snapshot? Current => _current;

    /// <summary>Publishes a new profile (start-up or configuration reload); returns its version.</summary>
    public long PublishOptions(RampartAuthenticationOptions options)
    {
        lock (_lock)
        {
            _options = options;
            _configured = [.. options.Keys];
            _optionsVersion++;
            Republish();
            return _optionsVersion;
        }
    }

    /// <summary>Publishes the keys of the JWKS document (an empty set forgets them).</summary>
    public void PublishRemote(RampartSigningKey[] keys)
    {
        lock (_lock)
        {
            _remote = keys;
            if (_options is not null)
            {
                Republish();
            }
        }
    }

    private void Republish()
    {
        // Configured keys win a kid clash: a remote document cannot shadow a locally configured key.
        var merged = new List<RampartSigningKey>(_configured);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in _configured)
        {
            ids.Add(key.Id);
        }

        foreach (var key in _remote)
        {
            if (ids.Add(key.Id))
            {
                merged.Add(key);
            }
        }

        long generation = _cache.Reset(_options!.ValidatedTokenCacheSize);
        _current = new Snapshot([.. merged], generation, _optionsVersion, _options);
    }

    /// <summary>One published key set with the cache generation that belongs to it.</summary>
    internal sealed record Snapshot(RampartSigningKey[] Keys, long Generation, long OptionsVersion, RampartAuthenticationOptions Options)
    {
        public bool Contains(string keyId)
        {
            foreach (var key in Keys)
            {
                if (string.Equals(key.Id, keyId, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
