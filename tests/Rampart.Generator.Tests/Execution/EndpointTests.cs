using System;
using System.Text.Json;
using System.Threading.Tasks;
using Rampart.Binding;
using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>
/// The generated request delegates, executed over a DefaultHttpContext: authentication, permissions,
/// route and query binding, body binding, validation, DI injection and result writing.
/// </summary>
public sealed class EndpointTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private sealed record Response(int Status, string Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    private async Task<Response> Invoke(string endpoint, string method, string query = "", string? routeName = null, string? routeValue = null, string? scopes = "reports:read orders:write items:write", string? contentType = null, string? body = null)
    {
        var task = fixture.Call<Task<string>>("Invoke", endpoint, method, query, routeName, routeValue, scopes, contentType, body);
        string[] parts = (await task).Split('\n', 3);
        return new Response(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], parts[2]);
    }

    private Task<Response> Report(string query, string year = "2024", string? scopes = "reports:read") =>
        Invoke("GetReport", "GET", query, "year", year, scopes);

    private static string[] Errors(Response r, string key)
    {
        Assert.Contains("Content-Type=application/problem+json", r.Headers, StringComparison.Ordinal);
        Assert.True(r.Json.GetProperty("errors").TryGetProperty(key, out var messages), $"no error for '{key}' in {r.Body}");
        return System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(messages.EnumerateArray(), m => m.GetString()!));
    }

    [Fact]
    public async Task QueryValuesOfEveryTypeAreBound()
    {
        var r = await Report("?region=eu&pageSize=10&after=-5&minTotal=1.25&ratio=2.5e-1&includeDrafts=true&owner=0f8fad5b-d9cb-469f-a165-70867728950e&since=2024-01-02T03:04:05%2B01:00&format=Csv&sort_by=name");
        Assert.Equal(200, r.Status);
        var json = r.Json;
        Assert.Equal(2024, json.GetProperty("year").GetInt32());
        Assert.Equal("eu", json.GetProperty("region").GetString());
        Assert.Equal(10, json.GetProperty("pageSize").GetInt32());
        Assert.Equal(-5, json.GetProperty("after").GetInt64());
        Assert.Equal(1.25m, json.GetProperty("minTotal").GetDecimal());
        Assert.Equal(0.25, json.GetProperty("ratio").GetDouble());
        Assert.True(json.GetProperty("includeDrafts").GetBoolean());
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), json.GetProperty("owner").GetGuid());
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)), json.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("Csv", json.GetProperty("format").GetString());
        Assert.Equal("name", json.GetProperty("sortBy").GetString());
        // The DI service was injected.
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), json.GetProperty("generatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AbsentQueryValuesTakeTheirDefaults()
    {
        var r = await Report("");
        Assert.Equal(200, r.Status);
        var json = r.Json;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("region").ValueKind);
        Assert.Equal(50, json.GetProperty("pageSize").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("after").ValueKind);
        Assert.Equal(0.5m, json.GetProperty("minTotal").GetDecimal());
        Assert.False(json.GetProperty("includeDrafts").GetBoolean());
        Assert.Equal("Json", json.GetProperty("format").GetString());
        Assert.Equal("date", json.GetProperty("sortBy").GetString());
    }

    [Theory]
    [InlineData("?bogus=1", "bogus", BindingMessages.UnknownQuery)]
    [InlineData("?sortBy=name", "sortBy", BindingMessages.UnknownQuery)]
    [InlineData("?year=2020", "year", BindingMessages.UnknownQuery)]
    [InlineData("?pageSize=1&pageSize=2", "pageSize", BindingMessages.DuplicateQuery)]
    [InlineData("?pageSize=abc", "pageSize", BindingMessages.ExpectedInt32)]
    [InlineData("?pageSize=%205", "pageSize", BindingMessages.ExpectedInt32)]
    [InlineData("?pageSize=0x10", "pageSize", BindingMessages.ExpectedInt32)]
    [InlineData("?after=1.5", "after", BindingMessages.ExpectedInt64)]
    [InlineData("?minTotal=1e3", "minTotal", BindingMessages.ExpectedDecimal)]
    [InlineData("?ratio=NaN", "ratio", BindingMessages.ExpectedDouble)]
    [InlineData("?includeDrafts=yes", "includeDrafts", BindingMessages.ExpectedBoolean)]
    [InlineData("?owner=123", "owner", BindingMessages.ExpectedGuid)]
    [InlineData("?since=yesterday", "since", BindingMessages.ExpectedDateTimeOffset)]
    [InlineData("?format=csv", "format", BindingMessages.ExpectedEnum)]
    [InlineData("?format=0", "format", BindingMessages.ExpectedEnum)]
    [InlineData("?region=0123456789012345678901234567890", "region", BindingMessages.StringTooLong)]
    public async Task BadQueryValuesAre400(string query, string key, string message)
    {
        var r = await Report(query);
        Assert.Equal(400, r.Status);
        Assert.Equal(new[] { message }, Errors(r, key));
    }

    [Fact]
    public async Task BadRouteValueIs400()
    {
        var r = await Report("", year: "20x4");
        Assert.Equal(400, r.Status);
        Assert.Equal(new[] { BindingMessages.ExpectedInt32 }, Errors(r, "year"));
    }

    [Fact]
    public async Task ValidationFailureIs400WithTheMemberPath()
    {
        var r = await Report("?pageSize=501");
        Assert.Equal(400, r.Status);
        Assert.Equal(new[] { "The field pageSize must be between 1 and 500." }, Errors(r, "pageSize"));
    }

    [Fact]
    public async Task UnauthenticatedIs401WithBearerChallenge()
    {
        var r = await Report("", scopes: null);
        Assert.Equal(401, r.Status);
        Assert.Contains("WWW-Authenticate=Bearer", r.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPermissionIs403InsufficientScope()
    {
        var r = await Report("", scopes: "reports:write orders:read");
        Assert.Equal(403, r.Status);
        Assert.Contains("insufficient_scope", r.Headers, StringComparison.Ordinal);
        Assert.Contains("reports:read", r.Headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticationIsCheckedBeforeBinding()
    {
        // A request that would fail binding still gets 401/403 first: nothing is parsed for strangers.
        Assert.Equal(401, (await Report("?bogus=1", scopes: null)).Status);
        Assert.Equal(403, (await Report("?bogus=1", scopes: "other:read")).Status);
    }

    [Fact]
    public async Task BodyEndpointAcceptsJsonAndRunsTheHandler()
    {
        var r = await Invoke("PlaceOrder", "POST", contentType: "application/json; charset=utf-8", body: """{"code":"AB123","lines":[{"sku":"a","qty":1}]}""");
        Assert.Equal(204, r.Status);
        Assert.Equal(string.Empty, r.Body);
    }

    [Fact]
    public async Task BodyEndpointRejectsOtherMediaTypesWith415()
    {
        var r = await Invoke("PlaceOrder", "POST", contentType: "text/plain", body: """{"code":"AB123","lines":[{"sku":"a","qty":1}]}""");
        Assert.Equal(415, r.Status);
    }

    [Fact]
    public async Task BodyEndpointRejectsOversizedBodiesWith413()
    {
        var r = await Invoke("PlaceOrder", "POST", contentType: "application/json", body: "{\"note\":\"" + new string('x', 2000) + "\"}");
        Assert.Equal(413, r.Status);
    }

    [Fact]
    public async Task BodyEndpointRejectsUnknownMembersWith400()
    {
        var r = await Invoke("PlaceOrder", "POST", contentType: "application/json", body: """{"code":"AB123","lines":[{"sku":"a","qty":1}],"isAdmin":true}""");
        Assert.Equal(400, r.Status);
        Assert.Equal(new[] { BindingMessages.UnknownProperty }, Errors(r, "isAdmin"));
    }

    [Fact]
    public async Task RouteAndBodyEndpointCombinesBoth()
    {
        var r = await Invoke("UpdateItem", "PUT", routeName: "id", routeValue: "42", contentType: "application/json", body: """{"name":"pen"}""");
        Assert.Equal(200, r.Status);
        Assert.Equal(42, r.Json.GetProperty("id").GetInt32());
        Assert.Equal("pen", r.Json.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("1", 200)]
    [InlineData("2", 409)]
    [InlineData("3", 404)]
    public async Task UnionResultsWriteTheCaseTheHandlerReturned(string id, int status)
    {
        var r = await Invoke("FindThing", "GET", routeName: "id", routeValue: id, scopes: null);
        Assert.Equal(status, r.Status);
        if (status == 200)
        {
            Assert.Equal("one", r.Json.GetProperty("name").GetString());
        }
        else
        {
            Assert.Equal(status, r.Json.GetProperty("status").GetInt32());
        }

        if (status == 409)
        {
            Assert.Equal("It is taken.", r.Json.GetProperty("detail").GetString());
        }
    }
}
