using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Authentication;
using Rampart.Hosting;
using Rampart.RateLimiting;

namespace Orders.Tests;

/// <summary>
/// The sample for tests that are not about rate limits: every request is its own rate-limit
/// partition, so a test class can send more than the sample's 10/second without being throttled.
/// Rate limiting itself is tested with the real partitioning in <see cref="RateLimitTests"/>.
/// Each factory has its own database (a SQLite file in a temporary folder, or the given PostgreSQL
/// database); <see cref="CreateClientFor"/> makes a client that calls as a given user.
/// </summary>
public sealed class OrdersFactory : WebApplicationFactory<Program>
{
    /// <summary>Every log entry written by the app: event id, category and formatted message (with any exception's text).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(int EventId, string Category, string Message)> Logs { get; } = new();

    private static long s_requests;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "orders-data-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string? _postgres;

    public OrdersFactory()
        : this(postgresConnectionString: null)
    {
    }

    private OrdersFactory(string? postgresConnectionString) => _postgres = postgresConnectionString;

    /// <summary>The sample on SQLite (<c>"sqlite"</c>) or on a new database of <paramref name="postgres"/> (<c>"postgres"</c>).</summary>
    public static async System.Threading.Tasks.Task<OrdersFactory> CreateAsync(string provider, Rampart.Data.Tests.PostgresServer postgres) =>
        provider == "postgres" ? new OrdersFactory(await postgres.CreateDatabaseAsync()) : new OrdersFactory();

    /// <summary>A client that calls with a token of <paramref name="subject"/> holding <paramref name="permissions"/>.</summary>
    public HttpClient CreateClientFor(string subject, params string[] permissions)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, permissions));
        return client;
    }

    public string Token(string subject, params string[] permissions) =>
        Services.GetRequiredService<ITokenIssuer>().Issue(subject, permissions).Token;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Rampart:Data:DataDirectory", _dataDirectory);
        if (_postgres is not null)
        {
            builder.UseSetting("Rampart:Data:Provider", "PostgreSql");
            builder.UseSetting("Rampart:Data:ConnectionString", _postgres);
        }

        builder.ConfigureTestServices(services =>
        {
            services.PostConfigure<RampartOptions>(o => o.RateLimitPartition = EachRequestAlone);
            services.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (disposing && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static PartitionKey EachRequestAlone(HttpContext context) =>
        PartitionKey.ForCustom("test-" + Interlocked.Increment(ref s_requests).ToString(System.Globalization.CultureInfo.InvariantCulture));
}

internal sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<(int EventId, string Category, string Message)> logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(int, string, string)> logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue((eventId.Id, category, formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception)));
    }
}
