using System;
using Microsoft.AspNetCore.Http;
using Rampart.Logging;
using Rampart.RateLimiting;
using Rampart.Validation;

namespace Rampart.Hosting;

/// <summary>
/// Everything one generated endpoint needs at request time, built once when it is mapped: the
/// application runtime, the endpoint's rate-limit gate, its request log and its security events.
/// </summary>
public sealed class EndpointRuntime
{
    /// <summary>Creates the runtime of one endpoint.</summary>
    public EndpointRuntime(RampartRuntime runtime, SecureEndpointMetadata metadata, string endpointName, bool logPath)
    {
        Runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        Metadata = metadata ?? throw new ArgumentNullException(nameof(metadata));
        RateLimit = runtime.CreateRateLimitGate(endpointName, metadata.RateLimit, metadata.UseDefaultRateLimit, metadata.RateLimitPartition);
        Permissions = runtime.Permissions.Compile(metadata.Permissions);
        RequestLog = new RequestLog(runtime.RequestLogger, runtime.Redaction, metadata.Method, metadata.Route, logPath);
    }

    /// <summary>The application runtime.</summary>
    public RampartRuntime Runtime { get; }

    /// <summary>The contract's security facts.</summary>
    public SecureEndpointMetadata Metadata { get; }

    /// <summary>The rate-limit hook.</summary>
    public RateLimitGate RateLimit { get; }

    /// <summary>The endpoint's permission check, compiled from its declared permissions and the hierarchy.</summary>
    public Authorization.PermissionCheck Permissions { get; }

    /// <summary>The request log.</summary>
    public RequestLog RequestLog { get; }

    /// <summary>Records an authentication failure.</summary>
    public void AuthenticationRequired(HttpContext context) =>
        SecurityEvents.AuthenticationRequired(Runtime.SecurityLogger, Metadata.Method, Metadata.Route, context.Connection.RemoteIpAddress?.ToString());

    /// <summary>Records a missing permission: who, where, and the (first) permission missing.</summary>
    public void PermissionDenied(HttpContext context, string? missing)
    {
        ArgumentNullException.ThrowIfNull(context);
        SecurityEvents.PermissionDenied(Runtime.SecurityLogger, Metadata.Method, Metadata.Route, RequestLog.Escape(new Caller(context.User).Id), missing ?? string.Join(" ", Metadata.Permissions));
    }

    /// <summary>Records a binding failure.</summary>
    public void InputRejected(in Binding.BindingError error) =>
        SecurityEvents.InputRejected(Runtime.SecurityLogger, Metadata.Method, Metadata.Route, error.Status, error.Path.Length == 0 ? "$" : error.Path, error.Message);

    /// <summary>Records a validation failure.</summary>
    public void ValidationRejected(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        SecurityEvents.ValidationRejected(Runtime.SecurityLogger, Metadata.Method, Metadata.Route, errors.Count, errors.Count > 0 ? errors.Entries[0].Key : "$");
    }
}
