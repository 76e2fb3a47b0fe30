using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The sample's rate limits over HTTP, on a fake clock: the per-client defaults (100/minute,
/// 1000/hour), the search endpoint's 10/second, the headers, the 429 problem and the security event.
/// The TCP peer of each request is simulated by a test-only middleware reading <c>X-Test-Peer</c>.
/// </summary>
public sealed class RateLimitTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(EventId Id, string Category, string Message)> _logs = new();
    private readonly WebApplicationFactory<Program> _factory;

    public RateLimitTests()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Rampart:Data:DataDirectory", _dataDirectory);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.AddSingleton<IStartupFilter, SimulatedPeerStartupFilter>();
                services.AddLogging(logging => logging.AddProvider(new CapturingProvider(_logs)));
            });
        });
    }

    private readonly string _dataDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orders-rate-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_dataDirectory))
        {
            System.IO.Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // Authenticated callers are partitioned by subject: one subject per simulated peer.
    private HttpClient Client(string peer, bool authenticated = true)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Test-Peer", peer);
        return authenticated ? client.WithToken(_factory.Services, "peer-" + peer, TestTokens.OrdersUser) : client;
    }

    [Fact]
    public async Task Search_allows_ten_per_second_then_answers_429_with_exact_headers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = Client("198.51.100.10");
        for (int i = 0; i < 10; i++)
        {
            using var ok = await client.GetAsync("/api/v1/search?q=ABC", ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("\"default-60\";q=100;w=60, \"default-3600\";q=1000;w=3600, \"SearchOrders\";q=10;w=1", Header(ok, "RateLimit-Policy"));
            Assert.Equal($"\"SearchOrders\";r={9 - i};t=1", Header(ok, "RateLimit"));
        }

        using var limited = await client.GetAsync("/api/v1/search?q=ABC", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // One request is restored every 100 ms: Retry-After is rounded up to whole seconds, never down.
        Assert.Equal("1", Header(limited, "Retry-After"));
        Assert.Equal("\"SearchOrders\";r=0;t=1", Header(limited, "RateLimit"));
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(ct));
        Assert.Equal("https://iana.org/assignments/http-problem-types#quota-exceeded", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("SearchOrders", problem.RootElement.GetProperty("violated-policies")[0].GetString());
        Assert.True(limited.Headers.Contains("X-Content-Type-Options"));

        _time.Advance(TimeSpan.FromMilliseconds(100));
        using var again = await client.GetAsync("/api/v1/search?q=ABC", ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Request_101_within_a_minute_is_refused_by_the_default_policy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = Client("198.51.100.20");
        for (int i = 0; i < 100; i++)
        {
            using var ok = await client.GetAsync("/health", ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await client.GetAsync("/health", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("\"default-60\";r=0;t=60", Header(limited, "RateLimit"));
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(ct));
        Assert.Equal("default-60", problem.RootElement.GetProperty("violated-policies")[0].GetString());

        // Another client is not affected.
        using var other = Client("198.51.100.21");
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/health", ct)).StatusCode);
    }

    [Fact]
    public async Task A_spoofed_X_Forwarded_For_from_an_untrusted_peer_does_not_change_the_partition()
    {
        var ct = TestContext.Current.CancellationToken;
        // Anonymous, so partitioned by client address: the limit is checked before authentication (401).
        using var client = Client("203.0.113.5", authenticated: false);
        int allowed = 0;
        for (int i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?q=ABC");
            request.Headers.Add("X-Forwarded-For", $"10.0.0.{i}");
            using var response = await client.SendAsync(request, ct);
            allowed += response.StatusCode == HttpStatusCode.TooManyRequests ? 0 : 1;
        }

        Assert.Equal(10, allowed);
    }

    [Fact]
    public async Task A_flood_logs_one_security_event_per_window_per_client()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = Client("198.51.100.30");
        for (int i = 0; i < 40; i++)
        {
            using var _ = await client.GetAsync("/api/v1/search?q=ABC", ct);
        }

        var events = _logs.Where(l => l.Id.Id == SecurityEvents.RateLimitedId).ToList();
        var single = Assert.Single(events);
        Assert.Equal(SecurityEvents.Category, single.Category);
        Assert.Contains("SearchOrders", single.Message);
        Assert.Contains("/api/v1/search", single.Message);

        _time.Advance(TimeSpan.FromSeconds(2));
        for (int i = 0; i < 15; i++)
        {
            using var _ = await client.GetAsync("/api/v1/search?q=ABC", ct);
        }

        Assert.Equal(2, _logs.Count(l => l.Id.Id == SecurityEvents.RateLimitedId));
    }

    [Fact]
    public async Task Rejected_requests_never_reach_binding_or_the_handler()
    {
        var ct = TestContext.Current.CancellationToken;
        // Orders belong to a caller: both clients call as the same user (from different addresses).
        string token = _factory.Services.GetRequiredService<Rampart.Authentication.ITokenIssuer>().Issue("rate-user", ["orders:read", "orders:write"]).Token;
        using var client = Client("198.51.100.40");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (int i = 0; i < 10; i++)
        {
            using var created = await client.PostAsync("/api/v1/orders", new StringContent("""{"productId":"RATE0001","quantity":1}""", Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Even a malformed body gets 429, not 400: the limit is checked before anything is read.
        using var limited = await client.PostAsync("/api/v1/orders", new StringContent("{not json", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        using var searcher = Client("198.51.100.41");
        searcher.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var search = await searcher.GetFromJsonAsyncSafe("/api/v1/search?q=RATE", ct);
        Assert.Equal(10, search.GetProperty("total").GetInt32());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"{name} missing");

    private sealed class CapturingProvider(ConcurrentQueue<(EventId, string, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(EventId, string, string)> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((eventId, category, formatter(state, exception)));
        }
    }
}

internal static class HttpClientJsonExtensions
{
    public static async Task<JsonDocumentElement> GetFromJsonAsyncSafe(this HttpClient client, string url, System.Threading.CancellationToken ct)
    {
        using var response = await client.GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        return new JsonDocumentElement(JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)));
    }
}

internal sealed class JsonDocumentElement(JsonDocument document) : IDisposable
{
    public JsonElement GetProperty(string name) => document.RootElement.GetProperty(name);

    public void Dispose() => document.Dispose();
}
