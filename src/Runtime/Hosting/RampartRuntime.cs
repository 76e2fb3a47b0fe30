using System;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rampart.Binding;
using Rampart.Logging;
using Rampart.RateLimiting;

namespace Rampart.Hosting;

/// <summary>
/// What generated endpoints need at request time, resolved once when the endpoints are mapped,
/// so a request never goes back to the options system.
/// </summary>
public sealed class RampartRuntime
{
    /// <summary>Creates the runtime from validated options.</summary>
    public RampartRuntime(RampartOptions options, IRateLimitStore? rateLimitStore = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IRedactorProvider? redactorProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        MaxRequestBodyBytes = options.MaxRequestBodyBytes;
        Json = new JsonLimits(options.MaxJsonDepth, options.DefaultMaxStringLength, options.DefaultMaxCollectionLength);
        Time = timeProvider ?? TimeProvider.System;
        SecurityLogger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(SecurityEvents.Category);
        RateLimitStore = rateLimitStore ?? new InMemoryRateLimitStore(Time, logger: SecurityLogger);
        RequestLogger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(RequestLog.Category);
        Redaction = new RequestRedaction(redactorProvider);
        Permissions = new Authorization.PermissionPolicy(options.Authorization);
        DefaultRateLimit = string.IsNullOrWhiteSpace(options.DefaultRateLimit) ? null : RateLimitPolicy.Parse("default", options.DefaultRateLimit);
        FailedAuthentications = new FailedAuthenticationLimiter(options.FailedAuthenticationLimit, Time, SecurityLogger);
    }

    /// <summary>The options this runtime was built from.</summary>
    public RampartOptions Options { get; }

    /// <summary>The largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; }

    /// <summary>JSON limits for generated binders.</summary>
    public JsonLimits Json { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where rate-limit state lives.</summary>
    public IRateLimitStore RateLimitStore { get; }

    /// <summary>The per-client policy applied to every endpoint that does not opt out, or null.</summary>
    public RateLimitPolicy? DefaultRateLimit { get; }

    /// <summary>The budget of failed authentications per client address, kept by the authentication middleware.</summary>
    internal FailedAuthenticationLimiter FailedAuthentications { get; }

    /// <summary>The permission rules (claim names, hierarchy), resolved once.</summary>
    public Authorization.PermissionPolicy Permissions { get; }

    /// <summary>The logger of security events.</summary>
    public ILogger SecurityLogger { get; }

    /// <summary>The logger of request logs.</summary>
    public ILogger RequestLogger { get; }

    /// <summary>The redactors of request logs.</summary>
    public RequestRedaction Redaction { get; }

    /// <summary>Creates the runtime of one generated endpoint (called by the generated map).</summary>
    public EndpointRuntime CreateEndpoint(SecureEndpointMetadata metadata, string endpointName, bool logPath = true) =>
        new(this, metadata, endpointName, logPath);

    /// <summary>Creates the rate-limit hook of an endpoint from its declared policy text and partition.</summary>
    public RateLimitGate CreateRateLimitGate(string endpointName, string? policy, bool applyDefaults = true, RateLimitPartitioning partition = RateLimitPartitioning.Default) =>
        new(
            RateLimitStore,
            applyDefaults ? DefaultRateLimit : null,
            string.IsNullOrWhiteSpace(policy) ? null : RateLimitPolicy.Parse(endpointName, policy),
            Options.RateLimitPartition,
            SecurityLogger,
            Time,
            partition);

    /// <summary>The runtime registered by <c>AddRampart()</c>, or one with default options.</summary>
    public static RampartRuntime From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<RampartRuntime>() ?? Create(services);
    }

    internal static RampartRuntime Create(IServiceProvider services) =>
        new(
            services.GetService<IOptions<RampartOptions>>()?.Value ?? new RampartOptions(),
            services.GetService<IRateLimitStore>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IRedactorProvider>());
}
