using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>Unhandled exceptions become a 500 problem with a trace id and nothing internal.</summary>
public sealed class ErrorHandlingTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Unhandled_exception_is_a_bare_500_problem_and_is_logged_once(string environment)
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new CapturingLoggerProvider(logs));
        builder.AddRampart(o => o.RequireHttps = false);
        await using var app = builder.Build();
        app.UseRampart();
        app.MapGet("/boom", (Func<string>)(() => throw new InvalidOperationException("secret connection string Password=hunter2 at /srv/app/Db.cs:42"))).AllowAnonymous();
        await app.StartAsync(ct);

        using var client = app.GetTestClient();
        using var response = await client.GetAsync("/boom", ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain("Db.cs", body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(500, document.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("traceId").GetString()));
        Assert.False(document.RootElement.TryGetProperty("detail", out _));
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));

        Assert.Single(logs, l => l.Level == LogLevel.Error && l.Exception is InvalidOperationException);
        await app.StopAsync(ct);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<(LogLevel, string, Exception?)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string, Exception?)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}
