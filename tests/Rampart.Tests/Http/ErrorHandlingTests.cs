using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Handler failures: a bare 500 problem, the exception logged and never returned.</summary>
public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task Unhandled_handler_exception_is_a_500_problem_without_details()
    {
        await using var app = await TestApp.StartAsync();

        var reply = await app.Client.PostJsonAsync("/sink/explode", "{\"secret\":\"hunter2\"}");

        var problem = ProblemAssert.Problem(reply, 500, notEchoed: new[] { "hunter2", "handler failed", "InvalidOperationException", "at Rampart" });
        Assert.False(problem.TryGetProperty("errors", out _));
        var logged = Assert.Single(app.Logs.ErrorsAndAbove);
        Assert.IsType<System.InvalidOperationException>(logged.Exception);
        Assert.Equal(LogLevel.Error, logged.Level);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50_000)]
    public async Task Failure_while_writing_the_response_is_a_clean_500_without_a_partial_body(int size)
    {
        await using var app = await TestApp.StartAsync();

        var reply = await app.Client.PostJsonAsync("/sink/trap", "{\"size\":" + size + "}");

        // The body must be the problem alone: no fragment of the half-written response before it.
        ProblemAssert.Problem(reply, 500, notEchoed: new[] { "first", "xxxx" });
        Assert.StartsWith("{\"type\":", reply.Text, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_request_to_a_throwing_handler_never_reaches_it()
    {
        await using var app = await TestApp.StartAsync();

        var reply = await app.Client.PostJsonAsync("/sink/explode", "{\"secret\":\"" + new string('s', 17) + "\"}");

        ProblemAssert.Problem(reply, 400, "secret", Rampart.Binding.BindingMessages.StringTooLong);
        Assert.Empty(app.Logs.ErrorsAndAbove);
    }

    [Fact]
    public async Task Shared_host_rejections_log_no_errors()
    {
        await using var app = await TestApp.StartAsync();

        foreach (string body in new[] { "{", "[]", "{\"text\":1}", Bodies.Scalars("int", "1e400"), Bodies.Scalars("isAdmin", "1") })
        {
            var reply = await app.Client.PostJsonAsync("/sink/scalars", body);
            Assert.Equal(400, reply.Status);
        }

        Assert.Empty(app.Logs.ErrorsAndAbove);
        Assert.NotEmpty(app.Logs.Entries);
    }

    [Theory]
    [InlineData("POST", "/sink/scalars", "{")]
    [InlineData("POST", "/sink/scalars", null)]
    [InlineData("GET", "/sink/nowhere", null)]
    [InlineData("GET", "/sink/int/5", null)]
    [InlineData("OPTIONS", "/sink/scalars", null)]
    public async Task Every_response_errors_included_carries_the_basic_security_headers(string method, string path, string? body)
    {
        await using var app = await TestApp.StartAsync();

        var reply = await app.Client.SendBytesAsync(new System.Net.Http.HttpMethod(method), path, body is null ? null : System.Text.Encoding.UTF8.GetBytes(body), body is null ? null : HttpExtensions.Json);

        Assert.True(reply.Status is 200 or >= 400, reply.ToString());
        Assert.Equal("nosniff", string.Join(",", reply.Message.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", reply.Message.Headers.CacheControl?.ToString() ?? string.Empty, System.StringComparison.Ordinal);
        Assert.False(reply.Message.Headers.Contains("Server"));
        if (reply.Status >= 400)
        {
            Assert.Equal(ProblemAssert.ProblemJson, reply.MediaType);
        }
    }
}
