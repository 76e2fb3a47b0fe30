using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Rampart.Logging;

namespace Rampart.Authentication;

/// <summary>
/// Keys from a configured JWKS document (<see cref="RampartAuthenticationOptions.JwksUri"/>, or the
/// <c>jwks_uri</c> of <see cref="RampartAuthenticationOptions.Authority"/>'s discovery document).
/// Fetched on first use and again after <see cref="RampartAuthenticationOptions.JwksRefreshInterval"/>;
/// a token with an unknown <c>kid</c> triggers at most one extra fetch per
/// <see cref="RampartAuthenticationOptions.JwksUnknownKeyRefreshInterval"/>, however many such tokens
/// arrive (one fetch at a time, shared by every waiting request). Each key's algorithm comes from the
/// JWK itself (<c>kty</c>/<c>crv</c>, or its <c>alg</c> when consistent with them), never from a token;
/// symmetric, encryption-only and malformed keys are skipped. A failed refresh keeps the previous keys.
/// </summary>
internal sealed class JwksKeySource : IDisposable
{
    /// <summary>The largest JWKS or discovery document read (bytes).</summary>
    internal const int MaxDocumentBytes = 256 * 1024;

    /// <summary>The most keys taken from one document.</summary>
    internal const int MaxKeys = 64;

    /// <summary>Every asymmetric algorithm a JWKS key can be bound to (each key still allows only its own one).</summary>
    internal static readonly string[] Algorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly SigningKeyRing _ring;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _defaultHttp;
    private readonly Lock _lock = new();
    private Settings? _settings;
    private HttpClient? _http;
    private long _loadedAtTicks = long.MinValue;   // last successful fetch
    private long _attemptedAtTicks = long.MinValue; // last fetch started (successful or not)
    private bool _hasKeys;
    private string _fingerprint = "";
    private Task? _inflight;
    private long _fetches;

    public JwksKeySource(SigningKeyRing ring, TimeProvider time, ILoggerFactory loggers)
    {
        _ring = ring;
        _time = time;
        _logger = loggers.CreateLogger(SecurityEvents.Category);
        // No redirects: a redirect could leave https or the configured host.
        _defaultHttp = CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = FetchTimeout }, disposeHandler: true);
    }

    /// <summary>True when a JWKS document or an authority is configured.</summary>
    public bool Enabled => _settings is not null;

    /// <summary>The number of document fetches started (for tests and diagnostics).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    /// <summary>Completes when no fetch is running (for tests).</summary>
    internal Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return _inflight ?? Task.CompletedTask;
        }
    }

    /// <summary>Applies the (re)built profile; a changed endpoint forgets the keys of the old one.</summary>
    public void Configure(RampartAuthenticationOptions options)
    {
        Settings? settings = options.JwksUri is null && options.Authority is null
            ? null
            : new Settings(options.JwksUri, options.Authority, options.Issuer!, options.JwksRefreshInterval.Ticks,
                options.JwksUnknownKeyRefreshInterval.Ticks, options.AllowHttpJwksOnLoopback, options.JwksBackchannelHandler);
        lock (_lock)
        {
            if (settings == _settings)
            {
                return;
            }

            var previous = _settings;
            _settings = settings;
            if (previous?.Handler is not null && _http is { } old && !ReferenceEquals(old, _defaultHttp))
            {
                old.Dispose(); // the client only; the handler belongs to whoever configured it
            }

            _http = settings?.Handler is { } handler ? CreateClient(handler, disposeHandler: false) : _defaultHttp;
            _loadedAtTicks = long.MinValue;
            _attemptedAtTicks = long.MinValue;
            _hasKeys = false;
            _fingerprint = "";
        }

        _ring.PublishRemote([]);
    }

    /// <summary>
    /// Makes sure the keys are loaded and not older than the refresh interval, and — when
    /// <paramref name="keyId"/> names no known key — refetches once if the unknown-key interval allows.
    /// Returns false only when no key of the document has ever been loaded (the caller fails closed).
    /// </summary>
    public async ValueTask<bool> EnsureAsync(string? keyId, CancellationToken cancellationToken)
    {
        Settings? settings = _settings;
        if (settings is null)
        {
            return true;
        }

        long now = _time.GetUtcNow().UtcTicks;
        Task? wait = null;
        lock (_lock)
        {
            bool stale = !_hasKeys || now - _loadedAtTicks >= settings.RefreshTicks;
            bool unknown = keyId is not null && _ring.Current?.Contains(keyId) != true;
            // Failed or unknown-kid fetches are retried no more often than the unknown-key interval.
            bool allowed = _attemptedAtTicks == long.MinValue || now - _attemptedAtTicks >= settings.UnknownKeyTicks;
            if ((stale || unknown) && allowed && _inflight is null)
            {
                _attemptedAtTicks = now;
                _inflight = RefreshAsync(settings);
            }

            // Only a request that cannot be decided without the fetch waits for it (no keys yet, or its kid
            // is unknown); a periodic refresh runs in the background while the current keys stay in use.
            if (!_hasKeys || unknown)
            {
                wait = _inflight;
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            return _hasKeys;
        }
    }

    private async Task RefreshAsync(Settings settings)
    {
        await Task.Yield();
        Interlocked.Increment(ref _fetches);
        try
        {
            Uri jwksUri = settings.JwksUri ?? await DiscoverAsync(settings).ConfigureAwait(false);
            string json = await GetAsync(jwksUri, settings).ConfigureAwait(false);
            var keys = ReadKeys(json, out string fingerprint);
            lock (_lock)
            {
                if (_settings != settings)
                {
                    return; // reconfigured meanwhile
                }

                _loadedAtTicks = _time.GetUtcNow().UtcTicks;
                _hasKeys = true;
                if (fingerprint == _fingerprint)
                {
                    return; // same keys: keep the cache
                }

                _fingerprint = fingerprint;
            }

            _ring.PublishRemote(keys);
            AuthenticationEvents.SigningKeysLoaded(_logger, keys.Length, jwksUri.GetLeftPart(UriPartial.Path));
        }
        catch (Exception ex)
        {
            // Whatever went wrong with the remote document (network, HTTP, JSON, keys), the previous keys
            // stay and the failure is an event — a background fetch must never fault unobserved.
            AuthenticationEvents.SigningKeysUnavailable(_logger, ex, _hasKeys);
        }
        finally
        {
            lock (_lock)
            {
                _inflight = null;
            }
        }
    }

    private async Task<Uri> DiscoverAsync(Settings settings)
    {
        var discovery = new Uri(settings.Authority!.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        string json = await GetAsync(discovery, settings).ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (!string.Equals(issuer, settings.Issuer, StringComparison.Ordinal))
        {
            // RFC 8414 §3.3: the discovery document must name the issuer it was fetched for.
            throw new InvalidOperationException("The discovery document's issuer is not the configured issuer.");
        }

        string? jwks = root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
        if (!Uri.TryCreate(jwks, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException("The discovery document has no absolute jwks_uri.");
        }

        return uri;
    }

    private async Task<string> GetAsync(Uri uri, Settings settings)
    {
        if (RampartAuthenticationOptions.CheckRemoteUri(uri, settings.AllowHttpOnLoopback) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var http = _http ?? _defaultHttp;
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}.");
        }

        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }

    // The document's usable signature keys, each bound to the algorithm its own parameters imply.
    internal static RampartSigningKey[] ReadKeys(string json, out string fingerprint)
    {
        var set = new JsonWebKeySet(json);
        var keys = new List<RampartSigningKey>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var print = new System.Text.StringBuilder();
        foreach (var jwk in set.Keys)
        {
            if (keys.Count == MaxKeys)
            {
                break;
            }

            if (ToSigningKey(jwk) is not { } key || !ids.Add(key.Id))
            {
                continue;
            }

            keys.Add(key);
            print.Append(key.Id).Append('|').Append(key.Algorithm).Append('|').Append(jwk.X).Append(jwk.Y).Append(jwk.N).Append(jwk.E).Append(';');
        }

        fingerprint = print.ToString();
        return [.. keys];
    }

    private static RampartSigningKey? ToSigningKey(JsonWebKey jwk)
    {
        if (string.IsNullOrEmpty(jwk.Kid) || (jwk.Use is not null && jwk.Use != JsonWebKeyUseNames.Sig)
            || (jwk.KeyOps.Count > 0 && !jwk.KeyOps.Contains("verify")))
        {
            return null;
        }

        try
        {
            RampartSigningKey key;
            switch (jwk.Kty)
            {
                case JsonWebAlgorithmsKeyTypes.EllipticCurve:
                    (ECCurve curve, string algorithm) = jwk.Crv switch
                    {
                        JsonWebKeyECTypes.P256 => (ECCurve.NamedCurves.nistP256, SecurityAlgorithms.EcdsaSha256),
                        JsonWebKeyECTypes.P384 => (ECCurve.NamedCurves.nistP384, SecurityAlgorithms.EcdsaSha384),
                        JsonWebKeyECTypes.P521 => (ECCurve.NamedCurves.nistP521, SecurityAlgorithms.EcdsaSha512),
                        _ => default,
                    };
                    if (algorithm is null || (jwk.Alg is not null && jwk.Alg != algorithm))
                    {
                        return null;
                    }

                    // Public parameters only, whatever else the document carries; ImportParameters checks the point is on the curve.
                    var ec = ECDsa.Create(new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
                    });
                    key = RampartSigningKey.FromEcdsa(jwk.Kid, ec, algorithm);
                    break;
                case JsonWebAlgorithmsKeyTypes.RSA:
                    string rsaAlgorithm = jwk.Alg ?? SecurityAlgorithms.RsaSha256;
                    if (rsaAlgorithm is not (SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512
                        or SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512))
                    {
                        return null;
                    }

                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });
                    key = RampartSigningKey.FromRsa(jwk.Kid, rsa, rsaAlgorithm);
                    break;
                default:
                    // Symmetric ("oct") keys are never taken from a published document; other types are not supported.
                    return null;
            }

            key.Validate();
            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_http is { } http && !ReferenceEquals(http, _defaultHttp))
        {
            http.Dispose();
        }

        _defaultHttp.Dispose();
    }

    // Bounded: a short timeout and a cap on the document size, whatever the handler.
    private static HttpClient CreateClient(HttpMessageHandler handler, bool disposeHandler) => new(handler, disposeHandler)
    {
        Timeout = FetchTimeout,
        MaxResponseContentBufferSize = MaxDocumentBytes,
    };

    private sealed record Settings(Uri? JwksUri, Uri? Authority, string Issuer, long RefreshTicks, long UnknownKeyTicks, bool AllowHttpOnLoopback,
        HttpMessageHandler? Handler);
}
