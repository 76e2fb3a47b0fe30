using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Xunit;

namespace Rampart.Tests.Authorization;

/// <summary>
/// AddRampart's fallback policy in an application without any authentication scheme: an endpoint mapped
/// outside Rampart is a 401 problem (never the 500 of a challenge with no scheme), an explicitly anonymous
/// one stays open, and the option turns the policy off.
/// </summary>
public sealed class FallbackPolicyTests
{
    private static async Task<WebApplication> StartAsync(bool requireAuthenticatedUser, bool signIn = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddRampart(o =>
        {
            o.RequireHttps = false;
            o.Authorization.RequireAuthenticatedUserByDefault = requireAuthenticatedUser;
        });
        var app = builder.Build();
        app.UseRampart();
        if (signIn)
        {
            // Stands in for an authentication middleware.
            app.Use((context, next) =>
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")], "Test"));
                return next(context);
            });
        }

        app.UseAuthorization();
        app.MapGet("/private", () => "private");
        app.MapGet("/public", () => "public").AllowAnonymous();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    [Fact]
    public async Task An_endpoint_without_anonymity_is_a_401_problem_without_any_scheme()
    {
        await using var app = await StartAsync(requireAuthenticatedUser: true);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/private", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));

        using var open = await client.GetAsync("/public", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task An_authenticated_caller_passes()
    {
        await using var app = await StartAsync(requireAuthenticatedUser: true, signIn: true);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/private", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_option_turns_the_policy_off()
    {
        await using var app = await StartAsync(requireAuthenticatedUser: false);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/private", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
