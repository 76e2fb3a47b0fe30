using System.Linq;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Authentication;
using Rampart.Errors;
using Rampart.Headers;
using Rampart.Https;

namespace Rampart.Hosting;

/// <summary>
/// The order of Rampart's middleware, in one place. <c>app.UseRampart()</c> adds steps 1–4 (and step 7 when
/// nothing else places authorization), <c>app.UseRampartAuthentication()</c> steps 5–7; the endpoints run last:
/// <list type="number">
/// <item>security headers (<see cref="DefaultSecurityHeadersMiddleware"/>, or NetEscapades.AspNetCore.SecurityHeaders
/// for a customised policy): first, so every response carries them, the errors written further down included;</item>
/// <item>problem details (<see cref="ProblemDetailsMiddleware"/>): every error status without a body and every
/// unhandled exception becomes RFC 9457 problem details; it wraps everything that can fail;</item>
/// <item>request timeouts (<see cref="RequestTimeoutMiddleware"/>: a pooled path for generated endpoints,
/// ASP.NET Core's middleware for the rest): inside the problem details, so a timeout is a 503 problem;</item>
/// <item>plain-HTTP refusal (<see cref="HttpsOnlyMiddleware"/>) outside Development, unless
/// <see cref="RampartOptions.RequireHttps"/> says otherwise;</item>
/// <item>ASP.NET Core's authentication middleware, only when a scheme with remote sign-in callbacks (OpenID
/// Connect, OAuth) is registered: those callbacks need it;</item>
/// <item><see cref="RampartAuthenticationMiddleware"/>, the only middleware that authenticates bearer tokens
/// (a bad token is a 401 here, on every endpoint);</item>
/// <item>ASP.NET Core's authorization middleware, for endpoints mapped outside Rampart (the fallback policy of
/// <c>AddRampart()</c>) and for generated endpoints that carry authorization metadata of the application's
/// (<see cref="NeedsAuthorizationMiddleware"/>); after authentication, so it sees the caller, and after the
/// headers and problem details, so its 401s carry both;</item>
/// <item>the endpoints: generated ones check rate limit, authentication and permissions inline (no
/// authorization middleware, no per-request policy evaluation).</item>
/// </list>
/// WebApplication adds <c>UseAuthentication()</c> and <c>UseAuthorization()</c> itself, at the very start of the
/// pipeline, unless the builder's properties carry ASP.NET Core's marker keys (internal to
/// <c>AuthAppBuilderExtensions</c> and <c>AuthorizationAppBuilderExtensions</c>, so copied here). Rampart sets
/// them where it places, or deliberately leaves out, those middlewares: otherwise they would run twice, and
/// before the headers and problem details.
/// </summary>
internal static class RampartPipeline
{
    /// <summary>ASP.NET Core's marker of an added authentication middleware (read by WebApplication).</summary>
    internal const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>ASP.NET Core's marker of an added authorization middleware (read by WebApplication).</summary>
    internal const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    // Rampart's value for the authorization marker, told apart by reference from the `true` every UseAuthorization() writes.
    private static readonly object AuthorizationSetByUseRampart = true;

    /// <summary>Steps 1–4, and step 7 unless the application places authorization itself.</summary>
    public static void UseRampart(IApplicationBuilder app)
    {
        // Resolve now so invalid options fail at start-up rather than on the first request.
        var runtime = RampartRuntime.From(app.ApplicationServices);

        if (runtime.Options.SecurityHeaders is null)
        {
            // The default policy, from constant values (the same headers as RampartSecurityHeaders.CreateDefault()).
            app.UseMiddleware<DefaultSecurityHeadersMiddleware>();
        }
        else
        {
            var headers = RampartSecurityHeaders.CreateDefault();
            runtime.Options.SecurityHeaders(headers);
            app.UseSecurityHeaders(headers);
        }

        app.UseMiddleware<ProblemDetailsMiddleware>();
        app.Use(next =>
        {
            var aspNetCore = app.New();
            aspNetCore.UseRequestTimeouts();
            aspNetCore.Run(next);
            var timeouts = new RequestTimeoutMiddleware(
                next,
                aspNetCore.Build(),
                app.ApplicationServices.GetRequiredService<IOptions<RequestTimeoutOptions>>().Value,
                app.ApplicationServices.GetRequiredService<ILogger<RequestTimeoutMiddleware>>());
            return timeouts.InvokeAsync;
        });

        bool development = app.ApplicationServices.GetService<IHostEnvironment>()?.IsDevelopment() == true;
        if (runtime.Options.RequireHttps ?? !development)
        {
            app.UseMiddleware<HttpsOnlyMiddleware>();
        }

        UseAuthorizationOutsideRampart(app);
    }

    /// <summary>Steps 5–7. Resolves the profile now, so unsafe options fail at start-up.</summary>
    public static void UseAuthentication(IApplicationBuilder app)
    {
        _ = app.ApplicationServices.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        _ = app.ApplicationServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        // Without the marker WebApplication would put ASP.NET Core's authentication middleware at the start of the
        // pipeline, which runs the JwtBearer handler on every request before Rampart's (a second pass over every
        // token). Schemes with remote sign-in callbacks still need that middleware: then it is added here.
        if (!app.Properties.ContainsKey(AuthenticationMiddlewareSetKey))
        {
            var schemes = app.ApplicationServices.GetRequiredService<IAuthenticationSchemeProvider>();
            if (schemes.GetRequestHandlerSchemesAsync().GetAwaiter().GetResult().Any())
            {
                app.UseAuthentication();
            }

            app.Properties[AuthenticationMiddlewareSetKey] = true;
        }

        app.UseMiddleware<RampartAuthenticationMiddleware>();
        if (app.ApplicationServices.GetService<IAuthorizationHandlerProvider>() is null)
        {
            return;
        }

        app.Use(next => AuthorizeWhereNeeded(app, next));

        // UseAuthorization() leaves this marker on the builder it is called on; the branch has its own copy of
        // the properties, so set it here too, or WebApplication would add a second authorization middleware
        // at the start of the pipeline (before the security headers and problem details).
        app.Properties[AuthorizationMiddlewareSetKey] = true;
    }

    /// <summary>
    /// Step 7 from <c>UseRampart()</c>. Without it WebApplication would add the authorization middleware for every
    /// endpoint, and at the very start of the pipeline. If the application adds the middleware itself
    /// (<c>UseAuthorization()</c> or <c>UseRampartAuthentication()</c>, before or after <c>UseRampart()</c>), that
    /// one is the application's choice of position and this one is left out.
    /// </summary>
    private static void UseAuthorizationOutsideRampart(IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<IAuthorizationHandlerProvider>() is null
            || app.Properties.ContainsKey(AuthorizationMiddlewareSetKey))
        {
            return;
        }

        app.Properties[AuthorizationMiddlewareSetKey] = AuthorizationSetByUseRampart;
        app.Use(next =>
        {
            // Decided when the pipeline is built, after every Use call: a later UseAuthorization() has replaced the value.
            if (!ReferenceEquals(app.Properties.TryGetValue(AuthorizationMiddlewareSetKey, out object? set) ? set : null, AuthorizationSetByUseRampart))
            {
                return next;
            }

            return AuthorizeWhereNeeded(app, next);
        });
    }

    /// <summary>
    /// ASP.NET Core's authorization middleware in front of <paramref name="next"/>, for the requests
    /// <see cref="NeedsAuthorizationMiddleware"/> selects. Generated endpoints authorize inline; through the
    /// middleware they would also pay for the fallback policy on every request (a policy evaluator, an
    /// authentication result, a handler context).
    /// </summary>
    internal static RequestDelegate AuthorizeWhereNeeded(IApplicationBuilder app, RequestDelegate next)
    {
        var branch = app.New();
        branch.UseAuthorization();
        branch.Run(next);
        RequestDelegate authorize = branch.Build();
        // No endpoint (routing runs later, or nothing matched) goes through the middleware too.
        return context => NeedsAuthorizationMiddleware(context) ? authorize(context) : next(context);
    }

    /// <summary>
    /// False only for a generated endpoint without authorization metadata of the application's: generated endpoints
    /// authorize inline, but a policy added to one (e.g. <c>RequireAuthorization</c> on the route group it is mapped in)
    /// is ASP.NET Core's to enforce, and without the middleware its endpoint routing would refuse the request (500).
    /// </summary>
    internal static bool NeedsAuthorizationMiddleware(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata is null
            || metadata.GetMetadata<SecureEndpointMetadata>() is null
            || metadata.GetMetadata<IAuthorizeData>() is not null
            || metadata.GetMetadata<AuthorizationPolicy>() is not null
            || metadata.GetMetadata<IAuthorizationRequirementData>() is not null;
    }
}
