namespace Rampart.Hosting;

/// <summary>
/// Application-wide settings of Rampart, read from the <c>Rampart</c> configuration section by
/// <c>AddRampart()</c>. Every limit has a safe default; unsafe values fail at start-up, each message naming
/// its setting.
/// </summary>
public sealed class RampartOptions
{
    /// <summary>The default of <see cref="MaxRequestBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The default of <see cref="MaxJsonDepth"/>.</summary>
    public const int DefaultMaxJsonDepth = 32;

    /// <summary>The default of <see cref="DefaultMaxStringLength"/>.</summary>
    public const int DefaultMaxStringLengthValue = 4096;

    /// <summary>The default of <see cref="DefaultMaxCollectionLength"/>.</summary>
    public const int DefaultMaxCollectionLengthValue = 1000;

    /// <summary>The largest JSON request body accepted (413 beyond).</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The deepest nesting of JSON objects and arrays accepted (400 beyond).</summary>
    public int MaxJsonDepth { get; set; } = DefaultMaxJsonDepth;

    /// <summary>The maximum length of request strings that declare none.</summary>
    public int DefaultMaxStringLength { get; set; } = DefaultMaxStringLengthValue;

    /// <summary>The maximum item count of request collections that declare none.</summary>
    public int DefaultMaxCollectionLength { get; set; } = DefaultMaxCollectionLengthValue;

    /// <summary>
    /// The per-client rate limit applied to every endpoint in addition to its own policy
    /// (configuration key <c>Rampart:DefaultRateLimit</c>). Null or empty disables it.
    /// </summary>
    public string? DefaultRateLimit { get; set; } = "100/minute; 1000/hour";

    /// <summary>
    /// The budget of failed authentications per client address (IPv6 by /64; configuration key
    /// <c>Rampart:FailedAuthenticationLimit</c>, default <c>60/minute</c>): beyond it, a request from that address
    /// with a token not already known valid is answered 429 before the token is validated. Null or empty disables it.
    /// </summary>
    public string? FailedAuthenticationLimit { get; set; } = "60/minute";

    /// <summary>
    /// Chooses the rate-limit partition of a request (an API key, a tenant …); return
    /// <c>default</c> to fall back to the subject, then the client address. Not consulted on contracts that
    /// declare <c>RateLimitPartition = RateLimitPartitioning.ByAddress</c> (credential endpoints).
    /// </summary>
    public System.Func<Microsoft.AspNetCore.Http.HttpContext, RateLimiting.PartitionKey>? RateLimitPartition { get; set; }

    /// <summary>
    /// How long a request may run before its <c>RequestAborted</c> token is cancelled and the client
    /// gets 503 (default 30 s; configuration key <c>Rampart:RequestTimeoutSeconds</c>).
    /// </summary>
    public System.TimeSpan RequestTimeout { get; set; } = System.TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refuse plain-HTTP requests (400 problem details, never a redirect). Null, the default, means
    /// "outside the Development environment".
    /// </summary>
    public bool? RequireHttps { get; set; }

    /// <summary>
    /// Adjusts the security headers sent on every response (defaults:
    /// <see cref="Headers.RampartSecurityHeaders.CreateDefault"/>).
    /// </summary>
    public System.Action<Microsoft.AspNetCore.Builder.HeaderPolicyCollection>? SecurityHeaders { get; set; }

    /// <summary>
    /// Permission claims, the permission hierarchy and the fallback policy for endpoints mapped outside
    /// Rampart (configuration section <c>Rampart:Authorization</c>).
    /// </summary>
    public Authorization.RampartAuthorizationOptions Authorization { get; } = new();

    /// <summary>Checks the options and throws <see cref="System.InvalidOperationException"/> with a clear message when a value is unsafe.</summary>
    public void Validate() => RampartOptionsValidator.Instance.ThrowIfInvalid(this);
}
