using Rampart;

namespace Orders.Contracts;

/// <summary>The authenticated caller's subject: the one protected sample endpoint, proving the token round trip.</summary>
[SecureEndpoint("GET", "/api/v1/me", Permission = "orders:read")]
public sealed partial record WhoAmI
{
    static MeView Handle(Caller caller) => new(caller.Id!);
}

/// <summary>Who the caller is.</summary>
/// <param name="Subject">The token's subject (<c>sub</c>).</param>
public sealed record MeView(string Subject);
