using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rampart.Errors;
using Rampart.Logging;

namespace Rampart.RateLimiting;

/// <summary>
/// A budget of failed authentications per client address (IPv6 by /64, with the network budgets of
/// <see cref="InMemoryRateLimitStore"/>), kept by the authentication middleware, which answers a token it rejects
/// before any endpoint's rate limit runs. Only failures count; once an address has spent its budget, its
/// requests that carry a token not already known valid are answered 429 before the token is validated, so a
/// stream of forged tokens costs one lookup each instead of a signature check, a 401 and a security event.
/// Requests without an address (a Unix socket without forwarded headers, an in-process test server) share no
/// budget: one client there would otherwise lock out every other.
/// </summary>
internal sealed class FailedAuthenticationLimiter
{
    private const string Detail = "Too many failed authentications from this client; retry later.";
    private readonly InMemoryRateLimitStore? _store;
    private readonly RateLimitPolicy? _policy;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _lastNetworkLog = long.MinValue / 2;

    public FailedAuthenticationLimiter(string? policy, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        if (!string.IsNullOrWhiteSpace(policy))
        {
            _policy = RateLimitPolicy.Parse("failed-authentication", policy);
            // Addresses only: no subject ever fails authentication, so their part of the table stays minimal.
            _store = new InMemoryRateLimitStore(time, new RateLimitStoreOptions { MaxKeys = 20_000, ReservedAuthenticatedKeys = 1 }, logger);
        }
    }

    /// <summary>
    /// True when the request's address has spent its budget: the 429 problem (with <c>Retry-After</c>) is then
    /// written, and the caller must not validate the token.
    /// </summary>
    public bool TryRefuse(HttpContext context, out Task response)
    {
        response = Task.CompletedTask;
        if (_store is null || _store.Count == 0 || context.Connection.RemoteIpAddress is not { } address
            || !_store.WouldReject(PartitionKey.ForAddress(address), _policy!, out TimeSpan retryAfter))
        {
            return false;
        }

        RateLimitMetrics.AuthenticationFailuresLimited.Add(1);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response = Problem.WriteAsync(context, StatusCodes.Status429TooManyRequests, Detail, errors: null, RateLimitGate.QuotaExceededType,
            static (writer, name) =>
            {
                writer.WriteStartArray("violated-policies"u8);
                writer.WriteStringValue(name);
                writer.WriteEndArray();
            },
            _policy!.Name);
        return true;
    }

    /// <summary>Counts one failed authentication of the request's address.</summary>
    public void Failed(HttpContext context)
    {
        if (_store is null || context.Connection.RemoteIpAddress is not { } address)
        {
            return;
        }

        var key = PartitionKey.ForAddress(address);
        RateLimitDecision decision = _store.Acquire(key, _policy!);
        if (decision.IsAllowed && decision.Remaining == 0)
        {
            // This failure spent the budget: once per address and window, the moment it happens.
            var rule = _policy!.Rules[decision.RuleIndex];
            SecurityEvents.AuthenticationFailuresLimited(_logger, key.ToString(), Math.Max(1, (int)Math.Ceiling(rule.Window.TotalSeconds / rule.Limit)));
        }
        else if (!decision.IsAllowed && decision.NetworkPrefixLength > 0)
        {
            // A network that has spent its budget for new addresses: at most one event a minute.
            long now = _time.GetUtcNow().UtcTicks;
            long last = Volatile.Read(ref _lastNetworkLog);
            if (now - last >= TimeSpan.TicksPerMinute && Interlocked.CompareExchange(ref _lastNetworkLog, now, last) == last)
            {
                SecurityEvents.AuthenticationFailuresLimited(_logger, RateLimitGate.Describe(key, decision.NetworkPrefixLength), decision.RetryAfterSeconds);
            }
        }
    }
}
