using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Orders.Tests;

/// <summary>Every response, success or error, carries the security headers of a JSON API.</summary>
public sealed class SecurityHeadersTests(OrdersFactory factory) : IClassFixture<OrdersFactory>
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
    };

    public static TheoryData<string, string, string?, string?, int> Requests => new()
    {
        { "GET", "/health", null, null, 200 },
        { "POST", "/api/v1/orders", """{"productId":"ABCD1234","quantity":1}""", "application/json", 201 },
        { "POST", "/api/v1/orders", """{"productId":"ABCD1234","quantity":0}""", "application/json", 400 },
        { "GET", "/api/v1/orders/00000000-0000-0000-0000-000000000001", null, null, 404 },
        { "GET", "/no/such/route", null, null, 404 },
        { "DELETE", "/health", null, null, 405 },
        { "POST", "/api/v1/orders", new string(' ', 70 * 1024) + "{}", "application/json", 413 },
        { "POST", "/api/v1/orders", "{}", "text/plain", 415 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_status_carries_the_security_headers(string method, string path, string? body, string? contentType, int status)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://api.example.test") })
            .WithToken(factory.Services, "alice", TestTokens.OrdersUser);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(status, (int)response.StatusCode);
        foreach (var (name, value) in Expected)
        {
            Assert.True(TryGet(response, name, out string? actual), $"{name} missing on {status}");
            Assert.Equal(value, actual);
        }

        Assert.True(TryGet(response, "Permissions-Policy", out string? permissions));
        Assert.Contains("camera=()", permissions);
        Assert.True(TryGet(response, "Strict-Transport-Security", out string? hsts));
        Assert.Equal("max-age=31536000; includeSubDomains", hsts);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Hsts_is_not_sent_over_plain_http()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://api.example.test") });
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(TryGet(response, "Strict-Transport-Security", out _));
        Assert.True(TryGet(response, "X-Content-Type-Options", out _));
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
}
