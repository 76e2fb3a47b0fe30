using Rampart;

namespace Rampart.Authentication.Tests;

/// <summary>A protected endpoint: needs a valid token with <c>orders:read</c>.</summary>
[SecureEndpoint("GET", "/secure", Permission = "orders:read")]
public sealed partial record Secure
{
    static Pong Handle(Caller caller) => new(caller.Id!);
}

/// <summary>An anonymous endpoint: a presented token must still be valid.</summary>
[SecureEndpoint("GET", "/open", AllowAnonymous = true)]
public sealed partial record Open
{
    static Pong Handle() => new("anyone");
}

/// <summary>The response of both endpoints.</summary>
public sealed record Pong(string Subject);
