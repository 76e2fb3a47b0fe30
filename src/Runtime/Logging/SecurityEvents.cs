using Microsoft.Extensions.Logging;

namespace Rampart.Logging;

/// <summary>
/// The catalogue of security events, logged under the category <see cref="Category"/> with stable
/// event ids so they can be alerted on. Messages carry who, what and where — never a secret or the
/// offending input itself.
/// </summary>
public static partial class SecurityEvents
{
    /// <summary>The logger category of security events.</summary>
    public const string Category = "Rampart.Security";

    /// <summary>Event id: a request was rejected by a rate limit.</summary>
    public const int RateLimitedId = 3001;

    /// <summary>Event id: the distributed rate-limit store failed and the instance fell back (or failed closed).</summary>
    public const int RateLimitStoreUnavailableId = 3002;

    /// <summary>Logs a failure of the distributed rate-limit store.</summary>
    [LoggerMessage(EventId = RateLimitStoreUnavailableId, EventName = "RateLimitStoreUnavailable", Level = LogLevel.Error,
        Message = "The rate-limit store {Store} is unavailable ({Reason}); {Policy}")]
    public static partial void RateLimitStoreUnavailable(ILogger logger, string store, string reason, string policy);

    /// <summary>Logs a rate-limit rejection (once per window per key, so floods do not flood the log).</summary>
    [LoggerMessage(EventId = RateLimitedId, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "Rate limit '{Policy}' exceeded by {Partition} on {Method} {Route}; retry after {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string policy, string partition, string method, string route, int retryAfterSeconds);
}
