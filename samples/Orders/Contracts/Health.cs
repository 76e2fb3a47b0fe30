using Rampart;

namespace Orders.Contracts;

/// <summary>Liveness probe.</summary>
[SecureEndpoint("GET", "/health", AllowAnonymous = true)]
public sealed partial record Health
{
    static HealthView Handle() => new("healthy");
}

/// <summary>The health response.</summary>
public sealed record HealthView(string Status);
