using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Rampart.Authentication.Tests;

/// <summary>
/// An in-process app (TestServer) with Rampart, the hardened bearer profile and the test contracts,
/// on a fake clock, capturing every log entry.
/// </summary>
internal sealed class AuthApp : IAsyncDisposable
{
    public const string Issuer = "https://issuer.rampart.test";
    public const string Audience = "rampart-tests";
    public const string EsKeyId = "es-1";
    public const string HsKeyId = "hs-1";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The configured ES256 key (private: it also signs issued tokens).</summary>
    public static readonly ECDsa EsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>An attacker's ES256 key.</summary>
    public static readonly ECDsa AttackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The configured HS256 secret (256 bits).</summary>
    public static readonly byte[] HsSecret = RandomNumberGenerator.GetBytes(32);

    private readonly WebApplication _app;
    private string? _database;

    private AuthApp(WebApplication app, FakeTimeProvider time, ConcurrentQueue<LogEntry> logs, HttpClient client)
    {
        _app = app;
        Time = time;
        Logs = logs;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public ConcurrentQueue<LogEntry> Logs { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<AuthApp> StartAsync(Action<RampartAuthenticationOptions>? configure = null) =>
        StartAsync(configuration: null, configure ?? DefaultKeys);

    public static void DefaultKeys(RampartAuthenticationOptions options)
    {
        options.Issuer = Issuer;
        options.Audiences.Add(Audience);
        options.Keys.Add(RampartSigningKey.FromEcdsa(EsKeyId, EsKey));
        options.Keys.Add(RampartSigningKey.FromSecret(HsKeyId, HsSecret));
    }

    public static async Task<AuthApp> StartAsync(IDictionary<string, string?>? configuration, Action<RampartAuthenticationOptions>? configure, Action<IServiceCollection>? services = null, DateTimeOffset? start = null, bool kestrel = false,
        Action<IServiceCollection>? servicesAfterRampart = null)
    {
        var time = new FakeTimeProvider(start ?? Start);
        var logs = new ConcurrentQueue<LogEntry>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        if (kestrel)
        {
            // A real server on a free loopback port, for what only Kestrel does (connections, header string reuse).
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        // The default revocation store (SQLite), on a private database file per app.
        string database = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rampart-auth-tests", Guid.NewGuid().ToString("N") + ".db");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:ConnectionString"] = "Data Source=" + database,
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(new CapturingProvider(logs));
        builder.Services.AddSingleton<TimeProvider>(time);
        services?.Invoke(builder.Services);
        builder.AddRampart(o => o.DefaultRateLimit = null);
        builder.AddRampartAuthentication(configure);
        servicesAfterRampart?.Invoke(builder.Services);

        var app = builder.Build();
        try
        {
            app.UseRampart();
            app.UseRampartAuthentication();
            app.MapRampartEndpoints();
            app.MapRampartJwks();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var client = kestrel
            ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) }
            : app.GetTestClient();
        return new AuthApp(app, time, logs, client) { _database = database };
    }

    /// <summary>The status of a GET of <paramref name="path"/> with <paramref name="token"/> as the bearer token.</summary>
    public async Task<System.Net.HttpStatusCode> StatusAsync(string token, string path = "/secure")
    {
        using var response = await Client.SendAsync(AttackCatalogue.Bearer(token, path), Xunit.TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public IEnumerable<LogEntry> SecurityEvents => Logs.Where(l => l.Category == Rampart.Logging.SecurityEvents.Category);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_database is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.File.Delete(_database);
        }
    }

    internal sealed record LogEntry(EventId Id, string Category, string Message);

    private sealed class CapturingProvider(ConcurrentQueue<LogEntry> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<LogEntry> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue(new LogEntry(eventId, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
