using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Rampart.Authorization;

namespace Rampart.Hosting;

/// <summary>ASP.NET Core's own options, set from <see cref="RampartOptions"/> so the whole application shares Rampart's limits.</summary>
internal sealed class AspNetCoreOptionsSetup(IOptions<RampartOptions> rampart) :
    IConfigureOptions<KestrelServerOptions>, IConfigureOptions<RequestTimeoutOptions>, IConfigureOptions<AuthorizationOptions>
{
    /// <summary>
    /// No Server header (it names the stack to attackers), and the body limit of every endpoint, Rampart's or
    /// not, no larger than Rampart's.
    /// </summary>
    public void Configure(KestrelServerOptions options)
    {
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = rampart.Value.MaxRequestBodyBytes;
    }

    /// <summary>A slow or stuck request cannot hold its resources forever: 503 after <see cref="RampartOptions.RequestTimeout"/>.</summary>
    public void Configure(RequestTimeoutOptions options) =>
        options.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = rampart.Value.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        };

    /// <summary>
    /// Secure by default beyond Rampart's own endpoints: anything else the application maps requires an
    /// authenticated caller unless it says <c>.AllowAnonymous()</c> (or the option is turned off). A fallback
    /// policy of the application's own is kept.
    /// </summary>
    public void Configure(AuthorizationOptions options)
    {
        if (rampart.Value.Authorization.RequireAuthenticatedUserByDefault && options.FallbackPolicy is null)
        {
            options.FallbackPolicy = AuthenticatedOutsideRampartRequirement.Policy;
        }
    }
}
