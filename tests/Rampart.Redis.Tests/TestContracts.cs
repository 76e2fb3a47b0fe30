using Rampart;

namespace Rampart.Redis.Tests;

/// <summary>A response.</summary>
public sealed record Pong(string Value);

/// <summary>
/// An endpoint limited to 100 per hour, without the application defaults. An hour, not a minute: one
/// request's worth comes back every 36 s instead of every 0.6 s, so the exact counts the tests assert do
/// not depend on how fast a loaded machine sends its burst.
/// </summary>
[SecureEndpoint("GET", "/limited", AllowAnonymous = true, RateLimit = "100/hour", UseDefaultRateLimit = false)]
public sealed partial record Limited
{
    static Pong Handle() => new("pong");
}

/// <summary>An endpoint under a short policy, for expiry.</summary>
[SecureEndpoint("GET", "/burst", AllowAnonymous = true, RateLimit = "5/second", UseDefaultRateLimit = false)]
public sealed partial record Burst
{
    static Pong Handle() => new("pong");
}

/// <summary>A protected endpoint, for revocation.</summary>
[SecureEndpoint("GET", "/secure", Permission = "orders:read", UseDefaultRateLimit = false)]
public sealed partial record Secure
{
    static Pong Handle(Caller caller) => new(caller.Id!);
}
