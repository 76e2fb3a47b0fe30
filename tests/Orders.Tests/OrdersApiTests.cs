using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Orders.Tests;

/// <summary>The sample's endpoints end to end over HTTP (in-process server).</summary>
public sealed class OrdersApiTests(OrdersFactory factory) : IClassFixture<OrdersFactory>
{
    private readonly HttpClient _client = factory.CreateClient().WithToken(factory.Services, "alice", TestTokens.OrdersUser);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("traceId").GetString()));
        return root;
    }

    [Fact]
    public async Task Create_then_read_round_trips_the_order()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = await _client.PostAsync("/api/v1/orders", Json("""{"productId":"ABCD1234","quantity":3,"note":"leave at the door"}"""), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(ct);
        string id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("ABCD1234", body.GetProperty("productId").GetString());
        Assert.Equal(3, body.GetProperty("quantity").GetInt32());

        var read = await _client.GetAsync($"/api/v1/orders/{id}", ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var again = await read.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(id, again.GetProperty("id").GetString());
        Assert.Equal("leave at the door", again.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Unknown_order_is_404_problem()
    {
        var response = await _client.GetAsync($"/api/v1/orders/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Order_id_that_is_not_a_guid_is_400_keyed_by_the_route_parameter()
    {
        var response = await _client.GetAsync("/api/v1/orders/1%27%20OR%201%3D1", TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
        Assert.DoesNotContain("OR 1=1", problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"productId":"abcd1234","quantity":3}""", "productId")]
    [InlineData("""{"productId":"ABCD123","quantity":3}""", "productId")]
    [InlineData("""{"productId":"ABCD1234","quantity":0}""", "quantity")]
    [InlineData("""{"productId":"ABCD1234","quantity":1001}""", "quantity")]
    public async Task Invalid_orders_get_validation_problems_keyed_by_json_name(string json, string key)
    {
        var response = await _client.PostAsync("/api/v1/orders", Json(json), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), problem.GetRawText());
        Assert.True(messages.GetArrayLength() > 0);
    }

    [Fact]
    public async Task All_validation_failures_are_reported_together_without_echoing_values()
    {
        const string canary = "ZZ<scr>x"; // eight characters: fails the pattern, not the length
        var response = await _client.PostAsync("/api/v1/orders", Json($$"""{"productId":"{{canary}}","quantity":-54321}"""), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("productId", out _));
        Assert.True(errors.TryGetProperty("quantity", out _));
        string raw = problem.GetRawText();
        Assert.DoesNotContain("ZZ", raw);
        Assert.DoesNotContain("54321", raw);
    }

    [Fact]
    public async Task Note_longer_than_500_characters_is_rejected_while_binding()
    {
        string note = new('x', 501);
        var response = await _client.PostAsync("/api/v1/orders", Json($$"""{"productId":"ABCD1234","quantity":1,"note":"{{note}}"}"""), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));

        var ok = await _client.PostAsync("/api/v1/orders", Json($$"""{"productId":"ABCD1234","quantity":1,"note":"{{new string('x', 500)}}"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Theory]
    [InlineData("""{"productId":"ABCD1234","quantity":3,"isAdmin":true}""", "isAdmin")]
    [InlineData("""{"productId":"ABCD1234","productId":"ZZZZ9999","quantity":3}""", "productId")]
    [InlineData("""{"productId":"ABCD1234","quantity":"3"}""", "quantity")]
    [InlineData("""{"productId":"ABCD1234","quantity":3.5}""", "quantity")]
    [InlineData("""{"productId":"ABCD1234","quantity":99999999999}""", "quantity")]
    [InlineData("""{"productId":null,"quantity":3}""", "productId")]
    [InlineData("""{"quantity":3}""", "productId")]
    [InlineData("""{"productId":"ABCD1234","quantity":3""", "$")]
    [InlineData("""{"productId":"ABCD1234","quantity":3} {}""", "$")]
    [InlineData("""[]""", "$")]
    public async Task Strict_binding_rejects_bad_bodies(string json, string key)
    {
        var response = await _client.PostAsync("/api/v1/orders", Json(json), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var response = await _client.PostAsync("/api/v1/orders", new StringContent("""{"productId":"ABCD1234","quantity":3}""", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Body_over_the_configured_limit_is_413()
    {
        // appsettings.json sets Rampart:MaxRequestBodyBytes to 64 KiB.
        string padding = new(' ', 70 * 1024);
        var response = await _client.PostAsync("/api/v1/orders", Json("""{"productId":"ABCD1234",""" + padding + "\"quantity\":3}"), TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Search_binds_query_values_and_applies_the_default_limit()
    {
        var ct = TestContext.Current.CancellationToken;
        for (int i = 0; i < 3; i++)
        {
            var created = await _client.PostAsync("/api/v1/orders", Json("""{"productId":"SRCH0001","quantity":1}"""), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var all = await _client.GetFromJsonAsync<JsonElement>("/api/v1/search?q=SRCH", ct);
        Assert.True(all.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(all.GetProperty("total").GetInt32(), all.GetProperty("items").GetArrayLength());

        var limited = await _client.GetFromJsonAsync<JsonElement>("/api/v1/search?q=SRCH&limit=2", ct);
        Assert.Equal(2, limited.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/search", "q")]
    [InlineData("/api/v1/search?q=", "q")]
    [InlineData("/api/v1/search?q=a%27%20OR%201%3D1", "q")]
    [InlineData("/api/v1/search?q=abc&limit=0", "limit")]
    [InlineData("/api/v1/search?q=abc&limit=ten", "limit")]
    [InlineData("/api/v1/search?q=abc&q=def", "q")]
    [InlineData("/api/v1/search?q=abc&debug=1", "debug")]
    public async Task Search_rejects_bad_queries(string url, string key)
    {
        var response = await _client.GetAsync(url, TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Health_is_anonymous_and_healthy()
    {
        var response = await _client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
        Assert.Equal("healthy", response.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        await ProblemAsync(await _client.GetAsync("/api/v1/nothing-here", ct), HttpStatusCode.NotFound);
        var wrongMethod = await _client.DeleteAsync("/health", ct);
        await ProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
    }
}
