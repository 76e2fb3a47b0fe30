using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Rampart.Logging;

/// <summary>
/// The catalogue of security events, logged under the category <see cref="Category"/> with stable
/// event ids, counted on the <c>Rampart</c> meter (<c>rampart.security_events</c>, tagged by event) and
/// added to the current activity, so they can be alerted on. Messages carry who, what and where —
/// never a secret or the offending input itself.
/// </summary>
public static partial class SecurityEvents
{
    /// <summary>The logger category of security events.</summary>
    public const string Category = "Rampart.Security";

    /// <summary>Event id: a request body or query failed strict binding (malformed, unknown or oversized input).</summary>
    public const int InputRejectedId = 2001;

    /// <summary>Event id: a bound request failed validation.</summary>
    public const int ValidationRejectedId = 2002;

    /// <summary>Event id: a request was rejected by a rate limit.</summary>
    public const int RateLimitedId = 3001;

    /// <summary>Event id: the distributed rate-limit store failed and the instance fell back (or failed closed).</summary>
    public const int RateLimitStoreUnavailableId = 3002;

    /// <summary>Event id: the in-memory rate-limit table was full: active anonymous partitions were evicted or subjects shared the overflow bucket.</summary>
    public const int RateLimitPressureId = 3003;

    /// <summary>Event id: an address spent its budget of failed authentications; its requests with a token are refused (429) before validation.</summary>
    public const int AuthenticationFailuresLimitedId = 3004;

    /// <summary>Event id: an account was locked after repeated failed sign-ins (<c>AccountThrottle</c>).</summary>
    public const int AccountLockedId = 3005;

    /// <summary>Event id: an endpoint that needs an authenticated caller was called without one.</summary>
    public const int AuthenticationRequiredId = 4001;

    /// <summary>Event id: an authenticated caller lacked a permission.</summary>
    public const int PermissionDeniedId = 4002;

    private static readonly Meter Meter = new(RateLimiting.RateLimitMetrics.MeterName);
    private static readonly Counter<long> Counter = Meter.CreateCounter<long>("rampart.security_events", description: "Security events by name.");

    /// <summary>Strict binding refused the input (400, 413 or 415).</summary>
    public static void InputRejected(ILogger logger, string method, string route, int status, string path, string reason)
    {
        Count("InputRejected");
        LogInputRejected(logger, method, route, status, path, reason);
    }

    /// <summary>Validation refused a bound request.</summary>
    public static void ValidationRejected(ILogger logger, string method, string route, int failures, string firstPath)
    {
        Count("ValidationRejected");
        LogValidationRejected(logger, method, route, failures, firstPath);
    }

    /// <summary>No authenticated caller.</summary>
    public static void AuthenticationRequired(ILogger logger, string method, string route, string? clientIp)
    {
        Count("AuthenticationRequired");
        LogAuthenticationRequired(logger, method, route, clientIp);
    }

    /// <summary>An authenticated caller without a permission.</summary>
    public static void PermissionDenied(ILogger logger, string method, string route, string? userId, string missing)
    {
        Count("PermissionDenied");
        LogPermissionDenied(logger, method, route, userId, missing);
    }

    /// <summary>Logs a rate-limit rejection (once per window per key, so floods do not flood the log).</summary>
    public static void RateLimited(ILogger logger, string policy, string partition, string method, string route, int retryAfterSeconds)
    {
        Count("RateLimited");
        LogRateLimited(logger, policy, partition, method, route, retryAfterSeconds);
    }

    /// <summary>Logs a failure of the distributed rate-limit store.</summary>
    public static void RateLimitStoreUnavailable(ILogger logger, string store, string reason, string policy)
    {
        Count("RateLimitStoreUnavailable");
        LogRateLimitStoreUnavailable(logger, store, reason, policy);
    }

    /// <summary>Logs pressure on the in-memory rate-limit table (at most once a minute, with the counts since the last report).</summary>
    public static void RateLimitPressure(ILogger logger, long evictedAnonymous, long overflowedAuthenticated, int keysHeld, int maxKeys)
    {
        Count("RateLimitPressure");
        LogRateLimitPressure(logger, evictedAnonymous, overflowedAuthenticated, keysHeld, maxKeys);
    }

    /// <summary>Logs that an address (or network) spent its budget of failed authentications (once per budget window).</summary>
    public static void AuthenticationFailuresLimited(ILogger logger, string partition, int retryAfterSeconds)
    {
        Count("AuthenticationFailuresLimited");
        LogAuthenticationFailuresLimited(logger, partition, retryAfterSeconds);
    }

    /// <summary>Logs that an account was locked; <paramref name="account"/> is a digest of the name, never the name as typed.</summary>
    public static void AccountLocked(ILogger logger, string account, int attempts, int lockedSeconds)
    {
        Count("AccountLocked");
        LogAccountLocked(logger, account, attempts, lockedSeconds);
    }

    private static void Count(string name)
    {
        Counter.Add(1, new System.Collections.Generic.KeyValuePair<string, object?>("event", name));
        Activity.Current?.AddEvent(new ActivityEvent("rampart." + name));
    }

    [LoggerMessage(EventId = InputRejectedId, EventName = "InputRejected", Level = LogLevel.Warning,
        Message = "Input rejected on {Method} {Route}: {Status} at {Path} ({Reason})")]
    private static partial void LogInputRejected(ILogger logger, string method, string route, int status, string path, string reason);

    [LoggerMessage(EventId = ValidationRejectedId, EventName = "ValidationRejected", Level = LogLevel.Information,
        Message = "Validation rejected {Method} {Route}: {Failures} failure(s), first at {FirstPath}")]
    private static partial void LogValidationRejected(ILogger logger, string method, string route, int failures, string firstPath);

    [LoggerMessage(EventId = AuthenticationRequiredId, EventName = "AuthenticationRequired", Level = LogLevel.Warning,
        Message = "Unauthenticated call to {Method} {Route} from {ClientIp}")]
    private static partial void LogAuthenticationRequired(ILogger logger, string method, string route, string? clientIp);

    [LoggerMessage(EventId = PermissionDeniedId, EventName = "PermissionDenied", Level = LogLevel.Warning,
        Message = "Permission denied on {Method} {Route} for user {UserId}: missing {Missing}")]
    private static partial void LogPermissionDenied(ILogger logger, string method, string route, string? userId, string missing);

    [LoggerMessage(EventId = RateLimitedId, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "Rate limit '{Policy}' exceeded by {Partition} on {Method} {Route}; retry after {RetryAfterSeconds} s")]
    private static partial void LogRateLimited(ILogger logger, string policy, string partition, string method, string route, int retryAfterSeconds);

    [LoggerMessage(EventId = RateLimitStoreUnavailableId, EventName = "RateLimitStoreUnavailable", Level = LogLevel.Error,
        Message = "The rate-limit store {Store} is unavailable ({Reason}); {Policy}")]
    private static partial void LogRateLimitStoreUnavailable(ILogger logger, string store, string reason, string policy);

    [LoggerMessage(EventId = RateLimitPressureId, EventName = "RateLimitPressure", Level = LogLevel.Warning,
        Message = "The rate-limit table is full: {EvictedAnonymous} active anonymous partitions evicted and {OverflowedAuthenticated} authenticated decisions on the overflow bucket since the last report; {KeysHeld} keys held of {MaxKeys}")]
    private static partial void LogRateLimitPressure(ILogger logger, long evictedAnonymous, long overflowedAuthenticated, int keysHeld, int maxKeys);

    [LoggerMessage(EventId = AuthenticationFailuresLimitedId, EventName = "AuthenticationFailuresLimited", Level = LogLevel.Warning,
        Message = "Failed authentications from {Partition} exceeded their budget; tokens from there are refused without validation for {RetryAfterSeconds} s")]
    private static partial void LogAuthenticationFailuresLimited(ILogger logger, string partition, int retryAfterSeconds);

    [LoggerMessage(EventId = AccountLockedId, EventName = "AccountLocked", Level = LogLevel.Warning,
        Message = "Account {Account} locked for {LockedSeconds} s after {Attempts} sign-in attempts without a success")]
    private static partial void LogAccountLocked(ILogger logger, string account, int attempts, int lockedSeconds);
}
