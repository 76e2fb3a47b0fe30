using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.RateLimiting;
using StackExchange.Redis;
using Xunit;

namespace Rampart.Redis.Tests;

/// <summary>Rate limits shared through a real Redis server, across app instances and through an outage.</summary>
[Collection(RedisServer.Collection)]
public sealed class RedisRateLimitTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _logs = new();

    public void Dispose() => _redis.Dispose();

    private async Task<WebApplication> StartInstanceAsync(bool failClosed = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new CapturingProvider(_logs));
        builder.AddRampart(o => o.RateLimitPartition = c => c.Request.Headers.TryGetValue("X-Client", out var v) ? PartitionKey.ForCustom(v.ToString()) : default);
        builder.Services.AddRampartRedis(o =>
        {
            o.ConnectionString = _redis.ConnectionString;
            o.FailClosed = failClosed;
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });
        var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static HttpClient ClientFor(WebApplication app, string client)
    {
        var http = app.GetTestClient();
        http.DefaultRequestHeaders.Add("X-Client", client);
        return http;
    }

    [Fact]
    public async Task Two_instances_sharing_redis_allow_at_most_the_limit_under_64_parallel_clients()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await StartInstanceAsync();
        await using var b = await StartInstanceAsync();
        string key = "shared-" + Guid.NewGuid().ToString("N");
        var clients = Enumerable.Range(0, 64).Select(i => ClientFor(i % 2 == 0 ? a : b, key)).ToArray();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(clients.Select(async client =>
        {
            for (int i = 0; i < 4; i++)
            {
                using var response = await client.GetAsync("/limited", ct);
                statuses.Add(response.StatusCode);
            }
        }));

        Assert.Equal(256, statuses.Count);
        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(156, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.DoesNotContain(_logs, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task The_101st_request_gets_429_with_headers_and_keys_expire_on_their_own()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartInstanceAsync();
        using var client = ClientFor(app, "alice-" + Guid.NewGuid().ToString("N"));
        for (int i = 0; i < 100; i++)
        {
            using var ok = await client.GetAsync("/limited", ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await client.GetAsync("/limited", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // One request comes back every 3600 s / 100 = 36 s, minus the time the burst itself took.
        int retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 36);
        Assert.StartsWith("\"Limited\";r=0;t=", string.Join(",", limited.Headers.GetValues("RateLimit")));

        // Every key carries a TTL no longer than its window, and subjects are not stored in plain text.
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var keys = server.Keys(pattern: "rampart:rl:*").ToList();
        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => k.ToString().Contains("alice", StringComparison.Ordinal));
        foreach (var k in keys)
        {
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(k);
            Assert.NotNull(ttl);
            Assert.True(ttl <= TimeSpan.FromHours(1), $"{k} lives {ttl}");
        }
    }

    [Fact]
    public async Task Killing_redis_mid_test_falls_back_per_instance_with_a_security_event_and_no_500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartInstanceAsync();
        using var client = ClientFor(app, "bob");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/burst", ct)).StatusCode);
        }

        _redis.Kill();

        var statuses = new System.Collections.Generic.List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            using var response = await client.GetAsync("/burst", ct);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        // The fallback still limits: 5 per second on this instance.
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        var outage = Assert.Single(_logs, l => l.Id.Id == SecurityEvents.RateLimitStoreUnavailableId);
        Assert.Contains("falling back", outage.Message);
    }

    [Fact]
    public async Task Fail_closed_answers_503_while_redis_is_down()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartInstanceAsync(failClosed: true);
        using var client = ClientFor(app, "carol");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/burst", ct)).StatusCode);

        _redis.Kill();
        using var response = await client.GetAsync("/burst", ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(_logs, l => l.Id.Id == SecurityEvents.RateLimitStoreUnavailableId && l.Message.Contains("failing closed"));
    }

    internal sealed class CapturingProvider(ConcurrentQueue<(EventId, LogLevel, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(EventId, LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((eventId, logLevel, formatter(state, exception)));
        }
    }
}
