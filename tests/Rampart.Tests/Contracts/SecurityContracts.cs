using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rampart;

namespace Rampart.Tests.Contracts;

/// <summary>An endpoint that needs a permission (401 without a caller, 403 without the permission).</summary>
[SecureEndpoint("GET", "/sink/secure", Permission = "sink:read")]
public sealed partial record SecureRead
{
    static NoContent Handle(Caller caller) => TypedResults.NoContent();
}

/// <summary>An endpoint limited to one request per minute, defaults off.</summary>
[SecureEndpoint("GET", "/sink/limited", AllowAnonymous = true, RateLimit = "1/minute", UseDefaultRateLimit = false)]
public sealed partial record LimitedRead
{
    static NoContent Handle() => TypedResults.NoContent();
}
