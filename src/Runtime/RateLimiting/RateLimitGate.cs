using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rampart.Errors;
using Rampart.Logging;

namespace Rampart.RateLimiting;

/// <summary>
/// The rate-limit hook of one generated endpoint: the application's default policy (unless the
/// endpoint opts out) plus the endpoint's own, counted per partition (custom partitioner, else subject,
/// else client address; always the client address for <see cref="RateLimitPartitioning.ByAddress"/>),
/// with <c>RateLimit-Policy</c> / <c>RateLimit</c> headers on every response and a 429 problem with
/// <c>Retry-After</c> on rejection.
/// </summary>
public sealed class RateLimitGate
{
    /// <summary>The problem type of a 429 (IANA HTTP problem types registry).</summary>
    public const string QuotaExceededType = "https://iana.org/assignments/http-problem-types#quota-exceeded";

    private const int MaxLoggedKeys = 10_000;
    private readonly IRateLimitStore _store;
    private readonly RateLimitPolicy? _defaults;
    private readonly RateLimitPolicy? _endpoint;
    private readonly Func<HttpContext, PartitionKey>? _partitioner;
    private readonly bool _byAddress;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string? _policyHeader;
    private readonly ConcurrentDictionary<(PartitionKey, string), long> _lastLogged = new();

    /// <summary>Creates the gate of one endpoint; <paramref name="partition"/> is what its contract declared.</summary>
    public RateLimitGate(IRateLimitStore store, RateLimitPolicy? defaults, RateLimitPolicy? endpoint, Func<HttpContext, PartitionKey>? partitioner, ILogger logger, TimeProvider time,
        RateLimitPartitioning partition = RateLimitPartitioning.Default)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _defaults = defaults;
        _endpoint = endpoint;
        _partitioner = partitioner;
        _byAddress = partition switch
        {
            RateLimitPartitioning.Default => false,
            RateLimitPartitioning.ByAddress => true,
            _ => throw new ArgumentOutOfRangeException(nameof(partition), partition, "Not a rate-limit partition."),
        };
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _policyHeader = (defaults, endpoint) switch
        {
            (null, null) => null,
            ({ } d, null) => d.HeaderValue,
            (null, { } e) => e.HeaderValue,
            ({ } d, { } e) => d.HeaderValue + ", " + e.HeaderValue,
        };
    }

    /// <summary>True when this endpoint is limited at all.</summary>
    public bool IsActive => _policyHeader is not null;

    /// <summary>
    /// Counts the request; false when it was rejected, in which case the 429 response is written.
    /// </summary>
    public ValueTask<bool> TryEnterAsync(HttpContext context)
    {
        if (_policyHeader is null)
        {
            return new ValueTask<bool>(true);
        }

        PartitionKey key = PartitionFor(context);
        ValueTask<RateLimitDecision> first = _store.AcquireAsync(key, (_defaults ?? _endpoint)!, context.RequestAborted);
        if (first.IsCompletedSuccessfully && (_defaults is null || _endpoint is null))
        {
            RateLimitDecision only = first.Result;
            return only.IsAllowed ? new ValueTask<bool>(Allow(context, (_defaults ?? _endpoint)!, only)) : RejectAsync(context, key, (_defaults ?? _endpoint)!, only);
        }

        return SlowAsync(context, key, first);
    }

    private async ValueTask<bool> SlowAsync(HttpContext context, PartitionKey key, ValueTask<RateLimitDecision> first)
    {
        var firstPolicy = (_defaults ?? _endpoint)!;
        RateLimitDecision decision = await first.ConfigureAwait(false);
        if (!decision.IsAllowed)
        {
            return await RejectAsync(context, key, firstPolicy, decision).ConfigureAwait(false);
        }

        if (_defaults is null || _endpoint is null)
        {
            return Allow(context, firstPolicy, decision);
        }

        RateLimitDecision second = await _store.AcquireAsync(key, _endpoint, context.RequestAborted).ConfigureAwait(false);
        if (!second.IsAllowed)
        {
            return await RejectAsync(context, key, _endpoint, second).ConfigureAwait(false);
        }

        // Report the policy with the least quota left.
        return second.Remaining <= decision.Remaining ? Allow(context, _endpoint, second) : Allow(context, _defaults, decision);
    }

    private bool Allow(HttpContext context, RateLimitPolicy policy, in RateLimitDecision decision)
    {
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = _policyHeader;
        headers["RateLimit"] = Describe(policy, decision);
        return true;
    }

    private async ValueTask<bool> RejectAsync(HttpContext context, PartitionKey key, RateLimitPolicy policy, RateLimitDecision decision)
    {
        if (decision.IsUnavailable)
        {
            // The store failed closed: no quota can be checked, so nothing is served.
            context.Response.Headers.RetryAfter = "1";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Rate limiting is temporarily unavailable.").ConfigureAwait(false);
            return false;
        }

        string violated = RuleName(policy, decision.RuleIndex);
        RateLimitMetrics.Rejected.Add(1);
        var headers = context.Response.Headers;
        headers["RateLimit-Policy"] = _policyHeader;
        headers["RateLimit"] = Describe(policy, decision);
        headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        LogOncePerWindow(context, key, policy, violated, decision);
        await Problem.WriteAsync(
            context,
            StatusCodes.Status429TooManyRequests,
            decision.NetworkPrefixLength > 0
                ? "Too many requests: the quota of this client's network for new clients is exhausted."
                : "Too many requests: the quota of this client is exhausted.",
            errors: null,
            QuotaExceededType,
            static (writer, name) =>
            {
                writer.WriteStartArray("violated-policies"u8);
                writer.WriteStringValue(name);
                writer.WriteEndArray();
            },
            violated).ConfigureAwait(false);
        return false;
    }

    private void LogOncePerWindow(HttpContext context, PartitionKey key, RateLimitPolicy policy, string violated, in RateLimitDecision decision)
    {
        long now = _time.GetUtcNow().UtcTicks;
        long window = policy.Rules[decision.RuleIndex].Window.Ticks;
        var logKey = (key, violated);
        if (_lastLogged.TryGetValue(logKey, out long last) && now - last < window)
        {
            return;
        }

        if (_lastLogged.Count >= MaxLoggedKeys)
        {
            _lastLogged.Clear(); // bounded: under a flood of keys, log again rather than grow
        }

        _lastLogged[logKey] = now;
        string route = (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "(unknown)";
        SecurityEvents.RateLimited(_logger, violated, Describe(key, decision.NetworkPrefixLength), context.Request.Method, route, decision.RetryAfterSeconds);
    }

    // The partition whose budget refused: the key itself, or the network of it that NetworkPrefixLength names.
    internal static string Describe(PartitionKey key, int networkPrefixLength)
    {
        for (int i = 0; networkPrefixLength > 0 && i < key.NetworkCount; i++)
        {
            if (key.GetNetwork(i).PrefixLength == networkPrefixLength)
            {
                return key.GetNetwork(i).ToString();
            }
        }

        return key.ToString();
    }

    private PartitionKey PartitionFor(HttpContext context)
    {
        if (_byAddress)
        {
            // A credential endpoint: neither a token nor the application's partitioner moves the attempt elsewhere.
            return PartitionKey.ForAddress(context.Connection.RemoteIpAddress);
        }

        if (_partitioner is not null)
        {
            PartitionKey custom = _partitioner(context);
            if (!custom.IsEmpty)
            {
                return custom;
            }
        }

        if (new Caller(context.User).Id is { Length: > 0 } subject)
        {
            return PartitionKey.ForSubject(subject);
        }

        // The connection's address: X-Forwarded-For counts only if the application configured
        // ForwardedHeaders with its known proxies, which rewrites RemoteIpAddress.
        return PartitionKey.ForAddress(context.Connection.RemoteIpAddress);
    }

    private static string RuleName(RateLimitPolicy policy, int rule) => policy.RuleNames[rule];

    // One string per response: the rule names are computed once per policy.
    private static string Describe(RateLimitPolicy policy, in RateLimitDecision decision) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{policy.RuleNames[decision.RuleIndex]}\";r={decision.Remaining};t={decision.ResetSeconds}");
}
