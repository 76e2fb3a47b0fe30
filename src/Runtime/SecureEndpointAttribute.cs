using System;

namespace Rampart;

/// <summary>
/// Declares a <c>partial record</c> as a secure endpoint contract. The Rampart generator emits the
/// request delegate (strict binding, compiled validation, permission checks) and maps it from
/// <c>MapRampartEndpoints()</c>.
/// </summary>
/// <remarks>
/// A contract must say who may call it: set <see cref="Permission"/>, <see cref="RequireAuthentication"/>
/// or, explicitly, <see cref="AllowAnonymous"/>. A contract with none does not compile (RAMP0013),
/// one with more than one does not either (RAMP0014).
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class SecureEndpointAttribute : Attribute
{
    /// <summary>Declares the contract for <paramref name="method"/> requests to <paramref name="route"/>.</summary>
    /// <param name="method">The HTTP method: GET, POST, PUT, PATCH or DELETE.</param>
    /// <param name="route">The route template, for example <c>/api/v1/orders/{id}</c>.</param>
    public SecureEndpointAttribute(string method, string route)
    {
        Method = method;
        Route = route;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The route template.</summary>
    public string Route { get; }

    /// <summary>
    /// The permissions a caller must hold, all of them, separated by spaces or commas
    /// (for example <c>"orders:read orders:write"</c>).
    /// </summary>
    public string? Permission { get; set; }

    /// <summary>Allows unauthenticated callers. Must be stated explicitly: nothing is anonymous by accident.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Requires an authenticated caller without any particular permission (a logout or "who am I"
    /// endpoint that every signed-in user may call). Unauthenticated callers get 401.
    /// </summary>
    public bool RequireAuthentication { get; set; }

    /// <summary>
    /// The per-endpoint rate-limit policy, for example <c>"10/second"</c> or
    /// <c>"100 per minute; 1000/hour"</c>, applied in addition to the application's default policy.
    /// A malformed policy does not compile (RAMP0021).
    /// </summary>
    public string? RateLimit { get; set; }

    /// <summary>
    /// Whether the application's default per-client policy (<c>Rampart:DefaultRateLimit</c>) also
    /// applies. True unless turned off here, explicitly.
    /// </summary>
    public bool UseDefaultRateLimit { get; set; } = true;

    /// <summary>
    /// Who the endpoint's rate limits count against. <see cref="RateLimitPartitioning.Default"/>: the application's
    /// partitioner, else the authenticated subject, else the client address. Credential endpoints (a login, a
    /// token or refresh endpoint) declare <see cref="RateLimitPartitioning.ByAddress"/>, so that a bearer token
    /// attached to the request does not move the attempt into the token subject's quota. A partition on a
    /// contract that applies no limit at all does not compile (RAMP0025).
    /// </summary>
    public RateLimitPartitioning RateLimitPartition { get; set; }

    /// <summary>The endpoint name; defaults to the contract's type name.</summary>
    public string? Name { get; set; }
}

/// <summary>
/// Who a contract's rate limits count against (<see cref="SecureEndpointAttribute.RateLimitPartition"/>). Not named
/// <c>RateLimitPartition</c>: that name is System.Threading.RateLimiting's, often imported beside Rampart.
/// </summary>
public enum RateLimitPartitioning
{
    /// <summary>The application's partitioner (<c>RampartOptions.RateLimitPartition</c>), else the authenticated subject, else the client address.</summary>
    Default = 0,

    /// <summary>
    /// Always the client address (IPv6 by /64), whatever token or custom partition the request carries: for
    /// credential endpoints, where the caller's own token must not buy a fresh quota.
    /// </summary>
    ByAddress = 1,
}

/// <summary>
/// Marks a member whose value must never be written to logs or echoed back in error responses: the
/// generated request log passes it through the redactor of <see cref="RampartTaxonomy.Sensitive"/>
/// (Microsoft.Extensions.Compliance.Redaction). Response records still carry it when a handler
/// returns it on purpose (an API key shown once to its owner, say).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class SensitiveAttribute : Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute
{
    /// <summary>Classifies the member as <see cref="RampartTaxonomy.Sensitive"/>.</summary>
    public SensitiveAttribute()
        : base(RampartTaxonomy.Sensitive)
    {
    }
}

/// <summary>Rampart's data classifications.</summary>
public static class RampartTaxonomy
{
    /// <summary>The taxonomy name.</summary>
    public const string Name = "Rampart";

    /// <summary>Secrets and personal data: never logged as they are.</summary>
    public static Microsoft.Extensions.Compliance.Classification.DataClassification Sensitive { get; } = new(Name, "Sensitive");
}
