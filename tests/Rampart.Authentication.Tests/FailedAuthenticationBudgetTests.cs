using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// Failed authentications have a budget per client address (issue 16, item 5): a client that keeps presenting
/// bad tokens is answered 429 before its next token is even validated, instead of an endless stream of
/// validations and 401s. The TCP peer of each request is simulated by <c>X-Test-Peer</c>.
/// </summary>
public sealed class FailedAuthenticationBudgetTests
{
    private const int Budget = 60; // the default: 60 failed authentications a minute per address (/64 for IPv6)

    private static async Task<HttpResponseMessage> SendAsync(AuthApp app, string peer, string? token, string path = "/secure")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Test-Peer", peer);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static Task<AuthApp> StartAsync() =>
        AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, services: s => s.AddSingleton<IStartupFilter, SimulatedPeer>());

    private static int Validations(AuthApp app) => app.SecurityEvents.Count(e => e.Id.Id == AuthenticationEvents.TokenInvalidId);

    [Fact]
    public async Task Bad_tokens_beyond_the_budget_get_429_before_validation_and_other_addresses_are_unaffected()
    {
        await using var app = await StartAsync();
        string forged = Forge.Tamper(Forge.Valid(app), 2);
        for (int i = 0; i < Budget; i++)
        {
            using var refused = await SendAsync(app, "2001:db8:7:1::10", forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(Budget, Validations(app));

        // Another host of the same /64 shares the budget; the token is not validated (no further 1002 event).
        using (var limited = await SendAsync(app, "2001:db8:7:1::99", forged))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.Equal("1", limited.Headers.RetryAfter?.ToString());
        }

        // A valid token from that /64 is not validated either: nothing tells the validator's cost apart in advance.
        using (var valid = await SendAsync(app, "2001:db8:7:1::10", Forge.Valid(app)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        }

        Assert.Equal(Budget, Validations(app));

        // Requests without a token are not failed authentications: the anonymous endpoint still answers.
        using (var anonymous = await SendAsync(app, "2001:db8:7:1::10", token: null, path: "/open"))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        // Other addresses are unaffected.
        using (var other = await SendAsync(app, "2001:db8:7:2::10", Forge.Valid(app)))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using (var otherBad = await SendAsync(app, "198.51.100.4", forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherBad.StatusCode);
        }

        // The budget refills (one failure a second): a validation again, then refused again.
        app.Time.Advance(TimeSpan.FromSeconds(1));
        using (var again = await SendAsync(app, "2001:db8:7:1::10", forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        using (var limitedAgain = await SendAsync(app, "2001:db8:7:1::10", forged))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limitedAgain.StatusCode);
        }
    }

    /// <summary>Stands in for the TCP peer address, which the TestServer does not set.</summary>
    private sealed class SimulatedPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Peer", out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
