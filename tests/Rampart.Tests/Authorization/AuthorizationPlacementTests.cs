using System.Net;
using System.Net.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Authorization;

/// <summary>
/// Where ASP.NET Core's authorization middleware runs when the application does not add it itself (no
/// UseAuthorization(), no UseRampartAuthentication()): UseRampart() adds it after the security headers and
/// problem details, for endpoints mapped outside Rampart only. The fallback policy still protects those
/// (with and without an authentication scheme); generated endpoints, which authorize inline, skip it.
/// </summary>
public sealed class AuthorizationPlacementTests
{
    private sealed class Evaluations
    {
        public int Count;
    }

    // Counts the authorization middleware's runs: it resolves the policy evaluator once per request it authorizes.
    private sealed class CountingPolicyEvaluator(IAuthorizationService authorization, Evaluations evaluations) : IPolicyEvaluator
    {
        private readonly PolicyEvaluator _inner = new(authorization);

        public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
        {
            Interlocked.Increment(ref evaluations.Count);
            return _inner.AuthenticateAsync(policy, context);
        }

        public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
            _inner.AuthorizeAsync(policy, authenticationResult, context, resource);
    }

    // Signs in "alice" when the request carries X-Test-User: alice.
    private sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers["X-Test-User"] is [{ } user]
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "Header")), "Header"))
                : AuthenticateResult.NoResult());
    }

    private static async Task<(WebApplication App, HttpClient Client, Evaluations Evaluations)> StartAsync(bool authentication)
    {
        var builder = TestApp.CreateBuilder(null, out _);
        builder.AddRampart(o => o.RateLimitPartition = TestApp.EachRequestAlone);
        var evaluations = new Evaluations();
        builder.Services.AddSingleton(evaluations);
        builder.Services.AddTransient<IPolicyEvaluator, CountingPolicyEvaluator>();
        if (authentication)
        {
            builder.Services.AddAuthentication("Header").AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>("Header", null);
        }

        var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        app.MapGet("/private", () => "private");
        app.MapGet("/public", () => "public").AllowAnonymous();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, TestApp.CreateClient(app), evaluations);
    }

    [Fact]
    public async Task Without_a_scheme_an_endpoint_outside_Rampart_is_a_401_problem_with_the_security_headers()
    {
        var (app, client, evaluations) = await StartAsync(authentication: false);
        await using var _ = app;
        using var __ = client;

        using var response = await client.GetAsync("/private", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(1, evaluations.Count);

        using var open = await client.GetAsync("/public", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task A_policy_the_application_adds_to_generated_endpoints_is_enforced()
    {
        // RequireAuthorization on the route group the contracts are mapped in: ASP.NET Core's policy, so its middleware
        // must run for those generated endpoints (without it endpoint routing refuses the request with a 500).
        var builder = TestApp.CreateBuilder(null, out _);
        builder.AddRampart(o => o.RateLimitPartition = TestApp.EachRequestAlone);
        builder.Services.AddAuthentication("Header").AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>("Header", null);
        await using var app = builder.Build();
        app.UseRampart();
        app.MapGroup("/g").RequireAuthorization(p => p.RequireClaim("sub", "bob")).MapRampartEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = TestApp.CreateClient(app);

        using var alice = new HttpRequestMessage(HttpMethod.Get, "/g/sink/secure");
        alice.Headers.Add("X-Test-User", "alice");
        using var refused = await client.SendAsync(alice, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("nosniff", Assert.Single(refused.Headers.GetValues("X-Content-Type-Options")));

        using var anonymous = await client.GetAsync("/g/sink/secure", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The contract's own AllowAnonymous still wins over the group's policy, as ASP.NET Core defines it.
        using var open = await client.GetAsync("/g/sink/int/5", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task Generated_endpoints_do_not_go_through_the_authorization_middleware()
    {
        var (app, client, evaluations) = await StartAsync(authentication: false);
        await using var _ = app;
        using var __ = client;

        using var anonymous = await client.GetAsync("/sink/int/5", TestContext.Current.CancellationToken);
        using var secured = await client.GetAsync("/sink/secure", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        // The generated endpoint's own check still answers: 401 without a caller.
        Assert.Equal(HttpStatusCode.Unauthorized, secured.StatusCode);
        Assert.Equal(0, evaluations.Count);

        using var outside = await client.GetAsync("/private", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, outside.StatusCode);
        Assert.Equal(1, evaluations.Count);
    }

    [Fact]
    public async Task With_a_scheme_the_fallback_sees_the_authenticated_caller()
    {
        var (app, client, evaluations) = await StartAsync(authentication: true);
        await using var _ = app;
        using var __ = client;

        using var anonymous = await client.GetAsync("/private", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/private") { Headers = { { "X-Test-User", "alice" } } };
        using var signedIn = await client.SendAsync(request, TestContext.Current.CancellationToken);
        using var generated = await client.GetAsync("/sink/int/5", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(anonymous.Headers.Contains("X-Content-Type-Options"));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal("private", await signedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        Assert.Equal(2, evaluations.Count);
    }
}
