using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Rampart.Binding;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Route values (int, long, Guid, string), query binding, typed results.</summary>
public sealed class RouteAndQueryTests(SharedApp app) : IClassFixture<SharedApp>
{
    // ---- Route values ----

    [Theory]
    [InlineData("/sink/int/7", "int", "7")]
    [InlineData("/sink/int/+7", "int", "7")]
    [InlineData("/sink/int/007", "int", "7")]
    [InlineData("/sink/long/9223372036854775807", "long", "9223372036854775807")]
    [InlineData("/sink/long/-1", "long", "-1")]
    [InlineData("/sink/guid/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "guid", "6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    [InlineData("/sink/guid/6F9619FF-8B86-D011-B42D-00CF4FC964FF", "guid", "6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    [InlineData("/sink/str/ab-12", "string", "ab-12")]
    [InlineData("/sink/str/abc-1234", "string", "abc-1234")]
    public async Task Valid_route_value_reaches_the_handler(string path, string kind, string id)
    {
        var reply = await app.Client.GetReplyAsync(path);

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal("application/json", reply.MediaType);
        var json = reply.Json();
        Assert.Equal(kind, json.GetProperty("kind").GetString());
        Assert.Equal(id, json.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("name").ValueKind);
    }

    [Theory]
    [InlineData("/sink/int/abc", BindingMessages.ExpectedInt32, "abc")]
    [InlineData("/sink/int/1.5", BindingMessages.ExpectedInt32, "1.5")]
    [InlineData("/sink/int/2147483648", BindingMessages.ExpectedInt32, "ECHOMARK")]
    [InlineData("/sink/int/21474836470", BindingMessages.ExpectedInt32, "21474836470")]
    [InlineData("/sink/int/0x10", BindingMessages.ExpectedInt32, "0x10")]
    [InlineData("/sink/int/1%2C000", BindingMessages.ExpectedInt32, "1,000")]
    [InlineData("/sink/int/%201", BindingMessages.ExpectedInt32, "ECHOMARK")]
    [InlineData("/sink/int/%D9%A3", BindingMessages.ExpectedInt32, "\u0663")]
    [InlineData("/sink/long/9223372036854775808", BindingMessages.ExpectedInt64, "9223372036854775808")]
    [InlineData("/sink/long/1e3", BindingMessages.ExpectedInt64, "1e3")]
    [InlineData("/sink/guid/ECHOMARK", BindingMessages.ExpectedGuid, "ECHOMARK")]
    [InlineData("/sink/guid/6f9619ff8b86d011b42d00cf4fc964ff", BindingMessages.ExpectedGuid, "6f9619ff8b86")]
    [InlineData("/sink/guid/%7B6f9619ff-8b86-d011-b42d-00cf4fc964ff%7D", BindingMessages.ExpectedGuid, "6f9619ff-8b86")]
    [InlineData("/sink/str/ECHOMARK-1234", BindingMessages.StringTooLong, "ECHOMARK")]
    public async Task Route_value_of_the_wrong_type_is_400_keyed_by_the_route_parameter(string path, string message, string marker)
    {
        var reply = await app.Client.GetReplyAsync(path);

        ProblemAssert.Problem(reply, 400, "id", message, marker);
    }

    [Theory]
    [InlineData("/sink/int/0", "The field id must be between 1 and 1000.")]
    [InlineData("/sink/int/1001", "The field id must be between 1 and 1000.")]
    [InlineData("/sink/str/AB-12", "The field id must match the regular expression '^[a-z]+-[0-9]{2,4}$'.")]
    public async Task Route_value_is_validated(string path, string message)
    {
        var reply = await app.Client.GetReplyAsync(path);

        ProblemAssert.Problem(reply, 400, "id", message);
    }

    [Fact]
    public async Task Union_result_not_found_is_a_404_problem()
    {
        var reply = await app.Client.GetReplyAsync("/sink/int/404");

        ProblemAssert.Problem(reply, 404);
    }

    [Fact]
    public async Task Null_result_is_a_404_problem()
    {
        var reply = await app.Client.GetReplyAsync("/sink/long/0");

        ProblemAssert.Problem(reply, 404);
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        var reply = await app.Client.GetReplyAsync("/sink/nowhere");

        ProblemAssert.Problem(reply, 404);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, "/sink/int/1", "{}"u8.ToArray(), HttpExtensions.Json);

        ProblemAssert.Problem(reply, 405);
    }

    [Fact]
    public async Task Route_and_body_bind_together()
    {
        var reply = await app.Client.PutJsonAsync("/sink/items/12", "{\"name\":\"widget\",\"stock\":3}");

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        Assert.Equal("item", json.GetProperty("kind").GetString());
        Assert.Equal("12", json.GetProperty("id").GetString());
        Assert.Equal("widget", json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Route_member_cannot_be_supplied_through_the_body()
    {
        var reply = await app.Client.PutJsonAsync("/sink/items/12", "{\"id\":13,\"name\":\"widget\"}");

        ProblemAssert.Problem(reply, 400, "id", BindingMessages.UnknownProperty);
    }

    [Fact]
    public async Task Bad_route_value_is_reported_before_the_body_is_read()
    {
        var reply = await app.Client.PutJsonAsync("/sink/items/x", "not json at all");

        ProblemAssert.Problem(reply, 400, "id", BindingMessages.ExpectedInt32);
    }

    [Theory]
    [InlineData(404, 404)]
    [InlineData(409, 409)]
    public async Task Union_status_results_are_problems(int id, int status)
    {
        var reply = await app.Client.PutJsonAsync($"/sink/items/{id}", "{\"name\":\"w\"}");

        ProblemAssert.Problem(reply, status);
    }

    [Fact]
    public async Task Route_and_body_validation_errors_are_collected_together()
    {
        var reply = await app.Client.PutJsonAsync("/sink/items/0", "{\"name\":\" \",\"stock\":101}");

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Equal(new[] { "id", "name", "stock" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Two_route_values_a_query_value_and_a_body_bind_together()
    {
        var reply = await app.Client.PutJsonAsync("/sink/pairs/7/" + Bodies.GuidText + "?tag=ab", "{\"name\":\"n\"}");

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal("7/" + Bodies.GuidText + "/ab", reply.Json().GetProperty("id").GetString());
        Assert.Equal("n", reply.Json().GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/sink/pairs/x/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "{\"name\":\"n\"}", "left", BindingMessages.ExpectedInt64)]
    [InlineData("/sink/pairs/7/nope", "{\"name\":\"n\"}", "right", BindingMessages.ExpectedGuid)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff?tag=toolong", "{\"name\":\"n\"}", "tag", BindingMessages.StringTooLong)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff?tag=ab&tag=cd", "{\"name\":\"n\"}", "tag", BindingMessages.DuplicateQuery)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff?name=x", "{\"name\":\"n\"}", "name", BindingMessages.UnknownQuery)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "{\"name\":\"n\",\"tag\":\"ab\"}", "tag", BindingMessages.UnknownProperty)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "{\"name\":\"n\",\"left\":1}", "left", BindingMessages.UnknownProperty)]
    [InlineData("/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff", "{}", "name", BindingMessages.Required)]
    public async Task Each_source_of_a_mixed_contract_is_strict(string path, string body, string key, string message)
    {
        var reply = await app.Client.PutJsonAsync(path, body);

        ProblemAssert.Problem(reply, 400, key, message);
    }

    [Fact]
    public async Task Validation_of_a_mixed_contract_collects_route_query_and_body_errors()
    {
        var reply = await app.Client.PutJsonAsync("/sink/pairs/100/" + Bodies.GuidText + "?tag=a", "{\"name\":\" \"}");

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Equal(new[] { "left", "tag", "name" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Delete_returns_204_without_a_body()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Delete, "/sink/items/5", null, null);

        Assert.Equal(204, reply.Status);
        Assert.Empty(reply.Bytes);
    }

    [Fact]
    public async Task Delete_with_a_bad_route_value_is_400()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Delete, "/sink/items/five", null, null);

        ProblemAssert.Problem(reply, 400, "id", BindingMessages.ExpectedInt32);
    }

    [Fact]
    public async Task Task_handler_returns_204()
    {
        var reply = await app.Client.PostJsonAsync("/sink/ping", "{\"note\":\"hi\"}");

        Assert.Equal(204, reply.Status);
        Assert.Empty(reply.Bytes);
    }

    // ---- Query ----

    [Fact]
    public async Task Query_values_of_every_scalar_kind_bind()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=abc123&limit=50&exact=TRUE&after=-9223372036854775808&minPrice=-1.25&ratio=2.5e-3&ref=6f9619ff-8b86-d011-b42d-00cf4fc964ff&since=2024-05-06T07%3A08%3A09%2B02%3A00&color=Blue");

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        Assert.Equal("abc123", json.GetProperty("q").GetString());
        Assert.Equal(50, json.GetProperty("limit").GetInt32());
        Assert.True(json.GetProperty("exact").GetBoolean());
        Assert.Equal(long.MinValue, json.GetProperty("after").GetInt64());
        Assert.Equal(-1.25m, json.GetProperty("minPrice").GetDecimal());
        Assert.Equal(0.0025, json.GetProperty("ratio").GetDouble());
        Assert.Equal(Guid.Parse(Bodies.GuidText), json.GetProperty("ref").GetGuid());
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), json.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("Blue", json.GetProperty("color").GetString());
    }

    [Fact]
    public async Task Absent_optional_query_values_take_their_defaults()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=abc");

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        Assert.Equal(10, json.GetProperty("limit").GetInt32());
        Assert.False(json.GetProperty("exact").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("after").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("color").ValueKind);
    }

    [Fact]
    public async Task Missing_required_query_value_is_400()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?limit=5");

        ProblemAssert.Problem(reply, 400, "q", BindingMessages.Required);
    }

    [Theory]
    [InlineData("?q=a&q=b", "q")]
    [InlineData("?q=a&limit=1&limit=2", "limit")]
    [InlineData("?q=a&color=Red&color=Red", "color")]
    public async Task Repeated_query_key_is_400(string query, string key)
    {
        var reply = await app.Client.GetReplyAsync("/sink/search" + query);

        ProblemAssert.Problem(reply, 400, key, BindingMessages.DuplicateQuery);
    }

    [Fact]
    public async Task Query_keys_differing_only_in_case_are_rejected()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=a&Q=b");

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Contains(Assert.Single(ProblemAssert.ErrorKeys(problem)), new[] { "q", "Q" });
    }

    [Theory]
    [InlineData("?q=a&isAdmin=true", "isAdmin")]
    [InlineData("?q=a&Limit=5", "Limit")]
    [InlineData("?q=a&%3Cscript%3E=1", "$unknown")]
    [InlineData("?q=a&a.b=1", "$unknown")]
    [InlineData("?q=a&=1", "$unknown")]
    public async Task Unknown_query_key_is_400(string query, string key)
    {
        var reply = await app.Client.GetReplyAsync("/sink/search" + query);

        ProblemAssert.Problem(reply, 400, key, BindingMessages.UnknownQuery, "script");
    }

    [Fact]
    public async Task Unknown_query_key_on_a_route_only_contract_is_400()
    {
        var reply = await app.Client.GetReplyAsync("/sink/int/5?debug=1");

        ProblemAssert.Problem(reply, 400, "debug", BindingMessages.UnknownQuery);
    }

    [Theory]
    [InlineData("/sink/scalars?debug=1")]
    [InlineData("/sink/orders?isAdmin=true")]
    public async Task Unknown_query_key_on_a_body_contract_is_400(string path)
    {
        // Strict binding applies to every source: a body contract declares no query keys, so any key is unknown
        // (as it is for GET /sink/int/5?debug=1).
        string body = path.StartsWith("/sink/scalars", StringComparison.Ordinal) ? Bodies.Scalars() : Bodies.Order;

        var reply = await app.Client.PostJsonAsync(path, body);

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Equal(BindingMessages.UnknownQuery, Assert.Single(ProblemAssert.Messages(problem, Assert.Single(ProblemAssert.ErrorKeys(problem)))));
    }

    [Fact]
    public async Task Unknown_query_key_on_a_route_and_body_contract_is_400()
    {
        var reply = await app.Client.PutJsonAsync("/sink/items/7?debug=1", "{\"name\":\"w\"}");

        ProblemAssert.Problem(reply, 400, "debug", BindingMessages.UnknownQuery);
    }

    [Theory]
    [InlineData("limit=abc", "limit", BindingMessages.ExpectedInt32, "abc")]
    [InlineData("limit=", "limit", BindingMessages.ExpectedInt32, "ECHOMARK")]
    [InlineData("limit=%2010", "limit", BindingMessages.ExpectedInt32, "ECHOMARK")]
    [InlineData("limit=1.0", "limit", BindingMessages.ExpectedInt32, "1.0")]
    [InlineData("limit=99999999999999999999", "limit", BindingMessages.ExpectedInt32, "99999999999999999999")]
    [InlineData("exact=yes", "exact", BindingMessages.ExpectedBoolean, "yes")]
    [InlineData("exact=1", "exact", BindingMessages.ExpectedBoolean, "ECHOMARK")]
    [InlineData("exact=%20true", "exact", BindingMessages.ExpectedBoolean, "ECHOMARK")]
    [InlineData("after=9223372036854775808", "after", BindingMessages.ExpectedInt64, "9223372036854775808")]
    [InlineData("minPrice=1e3", "minPrice", BindingMessages.ExpectedDecimal, "1e3")]
    [InlineData("minPrice=1%2C000", "minPrice", BindingMessages.ExpectedDecimal, "1,000")]
    [InlineData("ratio=NaN", "ratio", BindingMessages.ExpectedDouble, "NaN")]
    [InlineData("ratio=Infinity", "ratio", BindingMessages.ExpectedDouble, "Infinity")]
    [InlineData("ratio=1e400", "ratio", BindingMessages.ExpectedDouble, "1e400")]
    [InlineData("ref=ECHOMARK", "ref", BindingMessages.ExpectedGuid, "ECHOMARK")]
    [InlineData("since=ECHOMARK", "since", BindingMessages.ExpectedDateTimeOffset, "ECHOMARK")]
    [InlineData("color=blue", "color", BindingMessages.ExpectedEnum, "blue")]
    [InlineData("color=2", "color", BindingMessages.ExpectedEnum, "ECHOMARK")]
    public async Task Query_value_of_the_wrong_type_is_400(string pair, string key, string message, string marker)
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=abc&" + pair);

        ProblemAssert.Problem(reply, 400, key, message, marker);
    }

    [Theory]
    [InlineData("since=01%2F02%2F2024")]
    [InlineData("since=Tuesday%2C%202%20January%202024")]
    [InlineData("since=%202024-01-02T00%3A00%3A00Z")]
    public async Task Query_date_must_be_iso_8601_date_and_time(string pair)
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=abc&" + pair);

        ProblemAssert.Problem(reply, 400, "since", BindingMessages.ExpectedDateTimeOffset);
    }

    [Theory]
    [InlineData("since=2024-01-02", "2024-01-02T00:00:00+00:00")]
    [InlineData("since=2024-01-02T03%3A04%3A05Z", "2024-01-02T03:04:05+00:00")]
    [InlineData("since=2024-01-02T03%3A04%3A05.123-05%3A00", "2024-01-02T03:04:05.123-05:00")]
    public async Task Query_date_accepts_the_iso_8601_forms_json_accepts(string pair, string expected)
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=abc&" + pair);

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal(expected, reply.Json().GetProperty("since").GetString());
    }

    [Fact]
    public async Task Query_string_longer_than_its_maximum_is_400_without_echo()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=" + new string('Q', 17));

        ProblemAssert.Problem(reply, 400, "q", BindingMessages.StringTooLong, "QQQQQQQQ");
    }

    [Fact]
    public async Task Query_values_are_validated_with_every_error_collected()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=a-b&limit=51");

        var problem = ProblemAssert.Problem(reply, 400, notEchoed: "a-b");
        Assert.Equal(new[] { "q", "limit" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Empty_required_query_value_fails_required_validation()
    {
        var reply = await app.Client.GetReplyAsync("/sink/search?q=");

        ProblemAssert.Problem(reply, 400, "q", "The q field is required.");
    }

    [Fact]
    public async Task Get_contract_ignores_no_body_media_type()
    {
        // A GET contract has no body: content type and body are irrelevant.
        var reply = await app.Client.SendBytesAsync(HttpMethod.Get, "/sink/search?q=abc", "garbage"u8.ToArray(), "text/plain");

        Assert.True(reply.Status == 200, reply.ToString());
    }
}
