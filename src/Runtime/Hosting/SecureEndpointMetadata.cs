using System;
using System.Collections.Generic;

namespace Rampart.Hosting;

/// <summary>
/// The security facts of a generated endpoint, attached as endpoint metadata so that OpenAPI,
/// security inventories, tests and other middleware see what the contract declared.
/// </summary>
public sealed class SecureEndpointMetadata
{
    /// <summary>Creates the metadata.</summary>
    public SecureEndpointMetadata(Type contractType, string method, string route, IReadOnlyList<string> permissions, bool allowAnonymous, string? rateLimit, bool useDefaultRateLimit = true,
        RateLimitPartitioning rateLimitPartition = RateLimitPartitioning.Default)
    {
        UseDefaultRateLimit = useDefaultRateLimit;
        RateLimitPartition = rateLimitPartition;
        ContractType = contractType;
        Method = method;
        Route = route;
        Permissions = permissions;
        AllowAnonymous = allowAnonymous;
        RateLimit = rateLimit;
    }

    /// <summary>The contract record.</summary>
    public Type ContractType { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The route template.</summary>
    public string Route { get; }

    /// <summary>Permissions the caller must all hold.</summary>
    public IReadOnlyList<string> Permissions { get; }

    /// <summary>True when the contract explicitly allows anonymous callers.</summary>
    public bool AllowAnonymous { get; }

    /// <summary>The declared per-endpoint rate-limit policy, if any.</summary>
    public string? RateLimit { get; }

    /// <summary>Whether the application's default per-client policy applies too.</summary>
    public bool UseDefaultRateLimit { get; }

    /// <summary>Who the endpoint's rate limits count against (<see cref="RateLimitPartitioning.ByAddress"/> on credential endpoints).</summary>
    public RateLimitPartitioning RateLimitPartition { get; }
}
