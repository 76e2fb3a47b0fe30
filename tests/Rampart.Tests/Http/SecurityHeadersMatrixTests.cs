using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Claims;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.RateLimiting;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>
/// The full security header set on every status a Rampart API produces: 200, 201, 204, 400, 401, 403,
/// 404, 405, 413, 415, 429, 500 and 503 — successes, problem details and errors from routing alike.
/// </summary>
public sealed class SecurityHeadersMatrixTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
        ["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'",
        ["Referrer-Policy"] = "no-referrer",
        ["Cross-Origin-Resource-Policy"] = "same-origin",
        ["Cache-Control"] = "no-store",
        ["X-XSS-Protection"] = "0",
        ["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains",
    };

    public static TheoryData<int, string, string, string?, string?> Cases => new()
    {
        { 200, "GET", "/sink/int/5", null, null },
        { 201, "POST", "/sink/orders", null, null },
        { 204, "DELETE", "/sink/items/3", null, null },
        { 400, "GET", "/sink/int/not-a-number", null, null },
        { 401, "GET", "/sink/secure", null, null },
        { 403, "GET", "/sink/secure", null, "other:read" },
        { 404, "GET", "/nowhere", null, null },
        { 405, "PATCH", "/sink/int/5", null, null },
        { 413, "POST", "/sink/scalars", new string(' ', 10_000) + "{}", null },
        { 415, "POST", "/sink/scalars", "text", null },
        { 429, "GET", "/sink/limited", null, null },
        { 500, "POST", "/sink/explode", """{"secret":"abc"}""", null },
        { 503, "GET", "/sink/limited?unavailable", null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_status_carries_the_full_header_set(int status, string method, string path, string? body, string? scopes)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = TestApp.CreateBuilder(null, out _);
        builder.Services.AddSingleton<IRateLimitStore>(new UnavailableFor("key:unavailable"));
        builder.AddRampart(o =>
        {
            TestApp.SmallLimits(o);
            o.DefaultRateLimit = null;
            // 503 comes from the rate-limit gate when its store fails closed for this partition.
            o.RateLimitPartition = context => context.Request.Query.ContainsKey("unavailable") ? PartitionKey.ForCustom("unavailable") : default;
        });
        await using var app = builder.Build();
        // Stands in for authentication: a caller with the scopes named by the test.
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue("X-Test-Scopes", out var granted))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("sub", "u1"), new Claim("scope", granted.ToString()) }, "test"));
            }

            return next(context);
        });
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync(ct);
        using var client = TestApp.CreateClient(app);
        client.DefaultRequestHeaders.Host = "api.example.test"; // HSTS is never sent to localhost names

        if (status == 429)
        {
            using var first = await client.GetAsync(path, ct);
            Assert.Equal(204, (int)first.StatusCode);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (scopes is not null)
        {
            request.Headers.Add("X-Test-Scopes", scopes);
        }

        if (method is "POST" or "PUT" or "PATCH")
        {
            string json = body ?? (path == "/sink/orders" ? Bodies.Order : "{}");
            request.Content = new StringContent(json, Encoding.UTF8, status == 415 ? "text/plain" : "application/json");
        }

        using var response = await client.SendAsync(request, ct);
        Assert.Equal(status, (int)response.StatusCode);
        foreach (var (name, value) in Expected)
        {
            Assert.True(TryGet(response, name, out string? actual), $"{name} missing on {status}");
            Assert.Equal(value, actual);
        }

        Assert.True(TryGet(response, "Permissions-Policy", out _), $"Permissions-Policy missing on {status}");
        Assert.False(response.Headers.Contains("Server"));
        await app.StopAsync(ct);
    }

    private static bool TryGet(HttpResponseMessage response, string name, out string? value)
    {
        if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
        {
            value = string.Join(", ", values);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>A store that decides normally, except that it fails closed for one marked request.</summary>
    private sealed class UnavailableFor(string marker) : IRateLimitStore
    {
        private readonly InMemoryRateLimitStore _inner = new(TimeProvider.System);

        public ValueTask<RateLimitDecision> AcquireAsync(PartitionKey key, RateLimitPolicy policy, CancellationToken cancellationToken) =>
            key.ToString().Contains(marker, StringComparison.Ordinal)
                ? new(RateLimitDecision.Unavailable)
                : _inner.AcquireAsync(key, policy, cancellationToken);
    }
}
