using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rampart.Errors;
using Rampart.Hosting;
using Rampart.Logging;

namespace Rampart.Authorization;

/// <summary>
/// The requirement of Rampart's fallback authorization policy: an authenticated caller on every endpoint
/// the application mapped outside Rampart. Generated endpoints pass, because their delegate authorizes
/// itself inline (rate limit first, then 401/403 with security events); so do requests routing answers
/// itself (no endpoint, or its 405 endpoint), which keep their 404/405.
/// </summary>
public sealed class AuthenticatedOutsideRampartRequirement : AuthorizationHandler<AuthenticatedOutsideRampartRequirement>, IAuthorizationRequirement
{
    /// <summary>The policy that <c>AddRampart()</c> installs as the fallback.</summary>
    public static AuthorizationPolicy Policy { get; } = new AuthorizationPolicyBuilder().AddRequirements(new AuthenticatedOutsideRampartRequirement()).Build();

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthenticatedOutsideRampartRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Resource is HttpContext http ? http.GetEndpoint() : null;
        bool mappedOutsideRampart = endpoint is RouteEndpoint && endpoint.Metadata.GetMetadata<SecureEndpointMetadata>() is null;
        if (!mappedOutsideRampart || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Answers a failure of the fallback policy the way generated endpoints do: 401 problem details with
/// <c>WWW-Authenticate: Bearer</c> and a security event, whatever authentication scheme is (or is not)
/// registered. Failures of the application's own policies keep ASP.NET Core's default handling.
/// </summary>
internal sealed class FallbackAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !IsFallback(policy))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var runtime = RampartRuntime.From(context.RequestServices);
        string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
        SecurityEvents.AuthenticationRequired(runtime.SecurityLogger, context.Request.Method, route, context.Connection.RemoteIpAddress?.ToString());
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem.WriteAsync(context, StatusCodes.Status401Unauthorized);
    }

    private static bool IsFallback(AuthorizationPolicy policy)
    {
        foreach (var requirement in policy.Requirements)
        {
            if (requirement is AuthenticatedOutsideRampartRequirement)
            {
                return true;
            }
        }

        return false;
    }
}
