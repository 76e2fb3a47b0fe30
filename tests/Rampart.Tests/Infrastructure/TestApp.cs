using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Hosting;
using Xunit;

namespace Rampart.Tests.Infrastructure;

/// <summary>
/// The kitchen-sink contracts of this project hosted in-process on a TestServer, with small limits
/// and every log entry captured.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const long MaxBodyBytes = 4096;
    public const int MaxDepth = 8;
    public const int DefaultMaxString = 64;
    public const int DefaultMaxCollection = 8;

    private TestApp(WebApplication app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        Client = CreateClient(app);
    }

    /// <summary>A client for <paramref name="app"/> that talks HTTPS (Rampart refuses plain HTTP outside Development).</summary>
    public static HttpClient CreateClient(WebApplication app)
    {
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost/");
        return client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>The options used by every shared host: small limits so the tests can reach them.</summary>
    public static void SmallLimits(RampartOptions o)
    {
        o.MaxRequestBodyBytes = MaxBodyBytes;
        o.MaxJsonDepth = MaxDepth;
        o.DefaultMaxStringLength = DefaultMaxString;
        o.DefaultMaxCollectionLength = DefaultMaxCollection;
    }

    /// <summary>A rate-limit partition per request.</summary>
    public static Rampart.RateLimiting.PartitionKey EachRequestAlone(Microsoft.AspNetCore.Http.HttpContext context) =>
        Rampart.RateLimiting.PartitionKey.ForCustom(context.TraceIdentifier + System.Threading.Interlocked.Increment(ref s_requests).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static long s_requests;

    public static async Task<TestApp> StartAsync(Action<RampartOptions>? configure = null, IDictionary<string, string?>? configuration = null)
    {
        var builder = CreateBuilder(configuration, out var logs);
        builder.AddRampart(o =>
        {
            // Every request is its own rate-limit partition unless a test chooses otherwise: these
            // tests send thousands of requests from one TestServer peer and are not about limits.
            o.RateLimitPartition = EachRequestAlone;
            (configure ?? SmallLimits)(o);
        });
        var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync();
        return new TestApp(app, logs);
    }

    /// <summary>A slim builder on the TestServer with captured logging and optional configuration.</summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?>? configuration, out CapturingLoggerProvider logs)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Captures every log entry written by the host.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IReadOnlyList<LogEntry> ErrorsAndAbove => _entries.Where(e => e.Level >= LogLevel.Error).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"[{Level}] {Category} ({EventId.Id}): {Message} {Exception}";
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

/// <summary>One host shared by the HTTP test classes (xunit class fixture).</summary>
public sealed class SharedApp : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client => App.Client;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
