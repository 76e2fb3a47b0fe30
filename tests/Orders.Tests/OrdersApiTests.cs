using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Rampart.Data.Tests;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The sample's endpoints end to end over HTTP (in-process server), on SQLite and on PostgreSQL: every test
/// runs once per provider, each on a database of its own.
/// </summary>
public sealed class OrdersApiTests(PostgresServer postgres)
{
    private static readonly string[] ProviderNames = ["sqlite", "postgres"];

    public static TheoryData<string> Providers => new(ProviderNames);

    // Each (input, expected key) case once per provider.
    private static TheoryData<string, string, string> WithProviders(params (string Input, string Key)[] cases)
    {
        var data = new TheoryData<string, string, string>();
        foreach (string provider in ProviderNames)
        {
            foreach (var (input, key) in cases)
            {
                data.Add(provider, input, key);
            }
        }

        return data;
    }

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

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Create_then_read_round_trips_the_order(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var ct = TestContext.Current.CancellationToken;
        var created = await client.PostAsync("/api/v1/orders", Json("""{"productId":"ABCD1234","quantity":3,"note":"leave at the door"}"""), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(ct);
        string id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("ABCD1234", body.GetProperty("productId").GetString());
        Assert.Equal(3, body.GetProperty("quantity").GetInt32());

        var read = await client.GetAsync($"/api/v1/orders/{id}", ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var again = await read.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(id, again.GetProperty("id").GetString());
        Assert.Equal("leave at the door", again.GetProperty("note").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unknown_order_is_404_problem(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.GetAsync($"/api/v1/orders/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Order_id_that_is_not_a_guid_is_400_keyed_by_the_route_parameter(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.GetAsync("/api/v1/orders/1%27%20OR%201%3D1", TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
        Assert.DoesNotContain("OR 1=1", problem.GetRawText());
    }

    public static TheoryData<string, string, string> InvalidOrders => WithProviders(
        ("""{"productId":"abcd1234","quantity":3}""", "productId"),
        ("""{"productId":"ABCD123","quantity":3}""", "productId"),
        ("""{"productId":"ABCD1234","quantity":0}""", "quantity"),
        ("""{"productId":"ABCD1234","quantity":1001}""", "quantity"));

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task Invalid_orders_get_validation_problems_keyed_by_json_name(string provider, string json, string key)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.PostAsync("/api/v1/orders", Json(json), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), problem.GetRawText());
        Assert.True(messages.GetArrayLength() > 0);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task All_validation_failures_are_reported_together_without_echoing_values(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        const string canary = "ZZ<scr>x"; // eight characters: fails the pattern, not the length
        var response = await client.PostAsync("/api/v1/orders", Json($$"""{"productId":"{{canary}}","quantity":-54321}"""), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("productId", out _));
        Assert.True(errors.TryGetProperty("quantity", out _));
        string raw = problem.GetRawText();
        Assert.DoesNotContain("ZZ", raw);
        Assert.DoesNotContain("54321", raw);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Note_longer_than_500_characters_is_rejected_while_binding(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        string note = new('x', 501);
        var response = await client.PostAsync("/api/v1/orders", Json($$"""{"productId":"ABCD1234","quantity":1,"note":"{{note}}"}"""), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));

        var ok = await client.PostAsync("/api/v1/orders", Json($$"""{"productId":"ABCD1234","quantity":1,"note":"{{new string('x', 500)}}"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    public static TheoryData<string, string, string> BadBodies => WithProviders(
        ("""{"productId":"ABCD1234","quantity":3,"isAdmin":true}""", "isAdmin"),
        ("""{"productId":"ABCD1234","productId":"ZZZZ9999","quantity":3}""", "productId"),
        ("""{"productId":"ABCD1234","quantity":"3"}""", "quantity"),
        ("""{"productId":"ABCD1234","quantity":3.5}""", "quantity"),
        ("""{"productId":"ABCD1234","quantity":99999999999}""", "quantity"),
        ("""{"productId":null,"quantity":3}""", "productId"),
        ("""{"quantity":3}""", "productId"),
        ("""{"productId":"ABCD1234","quantity":3""", "$"),
        ("""{"productId":"ABCD1234","quantity":3} {}""", "$"),
        ("""[]""", "$"));

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Strict_binding_rejects_bad_bodies(string provider, string json, string key)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.PostAsync("/api/v1/orders", Json(json), TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), problem.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Wrong_content_type_is_415(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.PostAsync("/api/v1/orders", new StringContent("""{"productId":"ABCD1234","quantity":3}""", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Body_over_the_configured_limit_is_413(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        // appsettings.json sets Rampart:MaxRequestBodyBytes to 64 KiB.
        string padding = new(' ', 70 * 1024);
        var response = await client.PostAsync("/api/v1/orders", Json("""{"productId":"ABCD1234",""" + padding + "\"quantity\":3}"), TestContext.Current.CancellationToken);
        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Search_binds_query_values_and_applies_the_default_limit(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var ct = TestContext.Current.CancellationToken;
        for (int i = 0; i < 3; i++)
        {
            var created = await client.PostAsync("/api/v1/orders", Json("""{"productId":"SRCH0001","quantity":1}"""), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/search?q=SRCH", ct);
        Assert.Equal(3, all.GetProperty("total").GetInt32()); // the test's own database: exactly its three orders
        Assert.Equal(all.GetProperty("total").GetInt32(), all.GetProperty("items").GetArrayLength());

        var limited = await client.GetFromJsonAsync<JsonElement>("/api/v1/search?q=SRCH&limit=2", ct);
        Assert.Equal(2, limited.GetProperty("items").GetArrayLength());
    }

    public static TheoryData<string, string, string> BadQueries => WithProviders(
        ("/api/v1/search", "q"),
        ("/api/v1/search?q=", "q"),
        ("/api/v1/search?q=a%27%20OR%201%3D1", "q"),
        ("/api/v1/search?q=abc&limit=0", "limit"),
        ("/api/v1/search?q=abc&limit=ten", "limit"),
        ("/api/v1/search?q=abc&q=def", "q"),
        ("/api/v1/search?q=abc&debug=1", "debug"));

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Search_rejects_bad_queries(string provider, string url, string key)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), problem.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Health_is_anonymous_and_healthy(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var response = await client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
        Assert.Equal("healthy", response.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unknown_routes_and_methods_are_problem_details(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var ct = TestContext.Current.CancellationToken;
        await ProblemAsync(await client.GetAsync("/api/v1/nothing-here", ct), HttpStatusCode.NotFound);
        var wrongMethod = await client.DeleteAsync("/health", ct);
        await ProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
    }
}
