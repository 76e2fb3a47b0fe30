using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rampart.Tests.Contracts;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>
/// Request timeouts (UseRampart): a generated endpoint's token is cancelled after the timeout and the client
/// gets a 503 problem with the security headers; the client going away cancels it too; DisableTimeout() works;
/// endpoints mapped outside Rampart keep ASP.NET Core's timeout middleware. The pooled sources of generated
/// endpoints are reused without carrying a cancellation into the next request.
/// </summary>
public sealed class RequestTimeoutTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(TimeSpan timeout)
    {
        TimeoutProbe.Reset();
        var builder = TestApp.CreateBuilder(null, out _);
        builder.AddRampart(o =>
        {
            TestApp.SmallLimits(o);
            o.RateLimitPartition = TestApp.EachRequestAlone;
            o.RequestTimeout = timeout;
        });
        var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        app.MapGet("/plain/slow", static async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }).AllowAnonymous();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, TestApp.CreateClient(app));
    }

    private static async Task AssertTimeoutProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_generated_endpoint_past_its_timeout_is_cancelled_and_answered_503()
    {
        var (app, client) = await StartAsync(TimeSpan.FromMilliseconds(300));
        await using var _ = app;
        using var __ = client;

        using var response = await client.GetAsync("/sink/slow", TestContext.Current.CancellationToken);

        await AssertTimeoutProblemAsync(response);
        Assert.True(TimeoutProbe.Cancelled.Task.IsCompleted);

        // The next requests on the reused sources are not cancelled by the earlier timeout.
        for (int i = 0; i < 20; i++)
        {
            using var next = await client.GetAsync("/sink/int/5", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }

        TimeoutProbe.Reset();
        using var again = await client.GetAsync("/sink/slow", TestContext.Current.CancellationToken);
        await AssertTimeoutProblemAsync(again);
    }

    [Fact]
    public async Task The_client_going_away_cancels_the_handler()
    {
        var (app, client) = await StartAsync(TimeSpan.FromMinutes(5));
        await using var _ = app;
        using var __ = client;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var request = client.GetAsync("/sink/slow", abort.Token);
        CancellationToken handlerToken = await TimeoutProbe.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(handlerToken.IsCancellationRequested);
        await abort.CancelAsync();

        // Well before the five-minute timeout.
        await TimeoutProbe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(handlerToken.IsCancellationRequested);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    [Fact]
    public async Task DisableTimeout_lets_a_generated_endpoint_run_past_the_timeout()
    {
        var (app, client) = await StartAsync(TimeSpan.FromMilliseconds(200));
        await using var _ = app;
        using var __ = client;
        TimeoutProbe.PatientDelay = TimeSpan.FromMilliseconds(600);

        using var response = await client.GetAsync("/sink/patient", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task An_endpoint_outside_Rampart_keeps_ASP_NET_Cores_timeout()
    {
        var (app, client) = await StartAsync(TimeSpan.FromMilliseconds(300));
        await using var _ = app;
        using var __ = client;

        using var response = await client.GetAsync("/plain/slow", TestContext.Current.CancellationToken);

        await AssertTimeoutProblemAsync(response);
    }
}
