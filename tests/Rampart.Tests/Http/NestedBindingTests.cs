using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Rampart.Binding;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Nested records, arrays and lists (POST /sink/orders) and the depth limit (POST /sink/tree).</summary>
public sealed class NestedBindingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private const string Path = "/sink/orders";

    private static string Order(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Bodies.Order)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    private static JsonNode Raw(string json) => JsonNode.Parse(json)!;

    [Fact]
    public async Task Valid_order_is_201_with_location_and_receipt()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Order);

        Assert.True(reply.Status == 201, reply.ToString());
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal("/sink/orders/42", reply.Message.Headers.Location?.OriginalString);
        var json = reply.Json();
        Assert.Equal(42, json.GetProperty("id").GetInt32());
        Assert.Equal("Ada Lovelace", json.GetProperty("customer").GetString());
        Assert.Equal("london-123", json.GetProperty("zip").GetString());
        Assert.Equal(3, json.GetProperty("lines").GetInt32());
        Assert.Equal(6, json.GetProperty("units").GetInt32());
        Assert.Equal(new[] { "a", "b" }, json.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "Red", "Blue" }, json.GetProperty("colors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, json.GetProperty("boxes").GetInt32());
    }

    [Fact]
    public async Task Minimal_order_binds_with_nulls_and_defaults()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.MinimalOrder);

        Assert.True(reply.Status == 201, reply.ToString());
        var json = reply.Json();
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tags").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("colors").ValueKind);
        Assert.Equal(0, json.GetProperty("boxes").GetInt32());
    }

    [Fact]
    public async Task Null_for_every_nullable_collection_and_record_binds()
    {
        var reply = await app.Client.PostJsonAsync(Path, Order(o =>
        {
            foreach (string name in new[] { "billTo", "tags", "colors", "numbers", "holes", "longs", "amounts", "weights", "switches", "refs", "dates", "boxes", "extra", "memo" })
            {
                o[name] = null;
            }
        }));

        Assert.True(reply.Status == 201, reply.ToString());
        Assert.Equal(JsonValueKind.Null, reply.Json().GetProperty("tags").ValueKind);
    }

    [Theory]
    [InlineData("colors", "[\"Red\",null]", "colors[1]")]
    [InlineData("refs", "[null]", "refs[0]")]
    [InlineData("dates", "[null]", "dates[0]")]
    [InlineData("boxes", "[null]", "boxes[0]")]
    [InlineData("switches", "[true,null]", "switches[1]")]
    public async Task Null_element_of_a_non_nullable_element_type_is_400(string member, string raw, string key)
    {
        var reply = await app.Client.PostJsonAsync(Path, Order(o => o[member] = Raw(raw)));

        ProblemAssert.Problem(reply, 400, key, BindingMessages.NotNull);
    }

    [Fact]
    public async Task Empty_arrays_bind()
    {
        var reply = await app.Client.PostJsonAsync(Path, Order(o =>
        {
            o["tags"] = new JsonArray();
            o["numbers"] = new JsonArray();
            o["boxes"] = new JsonArray();
        }));

        Assert.True(reply.Status == 201, reply.ToString());
        Assert.Empty(reply.Json().GetProperty("tags").EnumerateArray());
    }

    public static TheoryData<string, string, string, string> NestedErrors => new()
    {
        // JSON path to replace (dot/index form), raw replacement, expected error key, expected message
        { "items[2].quantity", "\"ECHOMARK\"", "items[2].quantity", BindingMessages.ExpectedInt32 },
        { "items[0].sku", "12345678", "items[0].sku", BindingMessages.ExpectedString },
        { "items[1].unitPrice", "1e400", "items[1].unitPrice", BindingMessages.ExpectedDecimal },
        { "items[1].options.flags[0]", "42", "items[1].options.flags[0]", BindingMessages.ExpectedString },
        { "items[1].options.priority", "null", "items[1].options.priority", BindingMessages.NotNull },
        { "items[1].options", "[]", "items[1].options", BindingMessages.ExpectedObject },
        { "items[0]", "\"ECHOMARK\"", "items[0]", BindingMessages.ExpectedObject },
        { "items[0]", "null", "items[0]", BindingMessages.NotNull },
        { "items", "{}", "items", BindingMessages.ExpectedArray },
        { "items", "null", "items", BindingMessages.NotNull },
        { "shipTo", "\"ECHOMARK\"", "shipTo", BindingMessages.ExpectedObject },
        { "shipTo", "null", "shipTo", BindingMessages.NotNull },
        { "shipTo.street", "null", "shipTo.street", BindingMessages.NotNull },
        { "shipTo.country", "\"ECHOMARK\"", "shipTo.country", BindingMessages.StringTooLong },
        { "billTo", "{\"street\":\"s\",\"zip\":7}", "billTo.zip", BindingMessages.ExpectedString },
        { "tags[1]", "true", "tags[1]", BindingMessages.ExpectedString },
        { "tags[0]", "null", "tags[0]", BindingMessages.NotNull },
        { "colors[1]", "\"Purple\"", "colors[1]", BindingMessages.ExpectedEnum },
        { "numbers[3]", "21474836470", "numbers[3]", BindingMessages.ExpectedInt32 },
        { "holes[1]", "\"x\"", "holes[1]", BindingMessages.ExpectedInt32 },
        { "longs[0]", "9223372036854775808", "longs[0]", BindingMessages.ExpectedInt64 },
        { "amounts[1]", "79228162514264337593543950336", "amounts[1]", BindingMessages.ExpectedDecimal },
        { "weights[0]", "1e999", "weights[0]", BindingMessages.ExpectedDouble },
        { "switches[1]", "0", "switches[1]", BindingMessages.ExpectedBoolean },
        { "refs[0]", "\"not-a-guid\"", "refs[0]", BindingMessages.ExpectedGuid },
        { "dates[0]", "\"tomorrow\"", "dates[0]", BindingMessages.ExpectedDateTimeOffset },
        { "boxes[0].width", "\"10\"", "boxes[0].width", BindingMessages.ExpectedInt32 },
        { "boxes[0]", "[]", "boxes[0]", BindingMessages.ExpectedObject },
    };

    [Theory]
    [MemberData(nameof(NestedErrors))]
    public async Task Binding_error_is_keyed_by_its_json_path(string target, string raw, string key, string message)
    {
        string body = Order(o => Set(o, target, Raw(raw)));

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, key, message, "ECHOMARK", "79228162514264337593543950336", "9223372036854775808", "1e999", "not-a-guid", "tomorrow", "Purple");
    }

    [Theory]
    [InlineData("shipTo.zip", "shipTo.zip")]
    [InlineData("items[1].sku", "items[1].sku")]
    [InlineData("items[2].quantity", "items[2].quantity")]
    [InlineData("boxes[0].height", "boxes[0].height")]
    [InlineData("customer", "customer")]
    [InlineData("items", "items")]
    public async Task Missing_nested_required_member_is_keyed_by_its_path(string target, string key)
    {
        string body = Order(o => Remove(o, target));

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, key, BindingMessages.Required);
    }

    [Theory]
    [InlineData("shipTo", "shipTo.isAdmin")]
    [InlineData("items[2]", "items[2].isAdmin")]
    [InlineData("items[1].options", "items[1].options.isAdmin")]
    [InlineData("boxes[0]", "boxes[0].isAdmin")]
    public async Task Unknown_nested_property_is_keyed_by_its_path(string target, string key)
    {
        string body = Order(o => ((JsonObject)Navigate(o, target)!)["isAdmin"] = "ECHOMARK");

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, key, BindingMessages.UnknownProperty, "ECHOMARK");
    }

    [Fact]
    public async Task Duplicate_nested_property_is_keyed_by_its_path()
    {
        string body = Bodies.Order.Replace("\"zip\": \"london-123\"", "\"zip\": \"london-123\", \"zip\": \"paris-75\"", StringComparison.Ordinal);

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, "shipTo.zip", BindingMessages.DuplicateProperty, "paris");
    }

    [Theory]
    [InlineData("items", 5, "{\"sku\":\"ABCD1234\",\"quantity\":1}")]  // [Length(1, 4)]
    [InlineData("tags", 4, "\"t\"")]                                   // [MaxLength(3)]
    [InlineData("numbers", 5, "1")]                                    // [MaxLength(4)]
    [InlineData("holes", 4, "null")]
    [InlineData("colors", 4, "\"Red\"")]
    [InlineData("boxes", 4, "{\"width\":1,\"height\":1}")]
    [InlineData("refs", 4, "\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"")]
    public async Task Array_longer_than_its_maximum_is_400(string member, int count, string item)
    {
        string body = Order(o => o[member] = Raw("[" + string.Join(",", Enumerable.Repeat(item, count)) + "]"));

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, member, BindingMessages.ArrayTooLong);
    }

    [Fact]
    public async Task Array_of_exactly_its_maximum_binds()
    {
        string body = Order(o =>
        {
            o["items"] = Raw("[" + string.Join(",", Enumerable.Repeat("{\"sku\":\"ABCD1234\",\"quantity\":1}", 4)) + "]");
            o["numbers"] = Raw("[1,2,3,4]");
        });

        var reply = await app.Client.PostJsonAsync(Path, body);

        Assert.True(reply.Status == 201, reply.ToString());
        Assert.Equal(4, reply.Json().GetProperty("lines").GetInt32());
    }

    [Fact]
    public async Task Nested_array_without_declared_maximum_uses_the_configured_default()
    {
        // options.flags declares [MaxLength(2)]; tags items use the default string maximum (64).
        var tooManyFlags = await app.Client.PostJsonAsync(Path, Order(o => Set(o, "items[1].options.flags", Raw("[\"a\",\"b\",\"c\"]"))));
        var longTag = await app.Client.PostJsonAsync(Path, Order(o => o["tags"] = Raw("[\"" + new string('t', TestApp.DefaultMaxString + 1) + "\"]")));
        var maxTag = await app.Client.PostJsonAsync(Path, Order(o => o["tags"] = Raw("[\"" + new string('t', TestApp.DefaultMaxString) + "\"]")));

        ProblemAssert.Problem(tooManyFlags, 400, "items[1].options.flags", BindingMessages.ArrayTooLong);
        ProblemAssert.Problem(longTag, 400, "tags[0]", BindingMessages.StringTooLong, "tttttttttt");
        Assert.True(maxTag.Status == 201, maxTag.ToString());
    }

    [Fact]
    public async Task Members_without_a_declared_maximum_use_the_configured_defaults()
    {
        var collectionAtMax = await app.Client.PostJsonAsync(Path, Order(o => o["extra"] = Raw("[" + string.Join(",", Enumerable.Range(0, TestApp.DefaultMaxCollection)) + "]")));
        var collectionOver = await app.Client.PostJsonAsync(Path, Order(o => o["extra"] = Raw("[" + string.Join(",", Enumerable.Range(0, TestApp.DefaultMaxCollection + 1)) + "]")));
        var stringAtMax = await app.Client.PostJsonAsync(Path, Order(o => o["memo"] = new string('m', TestApp.DefaultMaxString)));
        var stringOver = await app.Client.PostJsonAsync(Path, Order(o => o["memo"] = new string('m', TestApp.DefaultMaxString + 1)));

        Assert.True(collectionAtMax.Status == 201, collectionAtMax.ToString());
        ProblemAssert.Problem(collectionOver, 400, "extra", BindingMessages.ArrayTooLong);
        Assert.True(stringAtMax.Status == 201, stringAtMax.ToString());
        ProblemAssert.Problem(stringOver, 400, "memo", BindingMessages.StringTooLong, "mmmmmmmm");
    }

    [Fact]
    public async Task Validation_collects_every_error_at_every_level_in_one_response()
    {
        string body = Order(o =>
        {
            o["customer"] = "x";                                 // StringLength minimum 2
            Set(o, "shipTo.zip", "LONDON");                      // pattern
            Set(o, "shipTo.street", "   ");                      // Required (whitespace)
            Set(o, "items[0].sku", "abcd1234");                  // pattern
            Set(o, "items[2].quantity", 0);                      // Range(1, 10)
            Set(o, "items[1].unitPrice", 0);                     // Range exclusive minimum
            Set(o, "items[1].options.priority", 6);              // Range(0, 5)
            Set(o, "boxes[0].height", 101);                      // Range on a positional record
        });

        var reply = await app.Client.PostJsonAsync(Path, body);

        var problem = ProblemAssert.Problem(reply, 400, notEchoed: new[] { "LONDON", "abcd1234" });
        Assert.Equal("One or more validation errors occurred.", problem.GetProperty("detail").GetString());
        Assert.Equal(
            new[] { "customer", "shipTo.street", "shipTo.zip", "items[0].sku", "items[1].unitPrice", "items[1].options.priority", "items[2].quantity", "boxes[0].height" }.OrderBy(k => k, StringComparer.Ordinal),
            ProblemAssert.ErrorKeys(problem).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("The field customer must be a string with a minimum length of 2 and a maximum length of 20.", Assert.Single(ProblemAssert.Messages(problem, "customer")));
        Assert.Equal("The field quantity must be between 1 and 10.", Assert.Single(ProblemAssert.Messages(problem, "items[2].quantity")));
    }

    [Fact]
    public async Task Validation_errors_keep_document_order()
    {
        string body = Order(o =>
        {
            o["customer"] = "x";
            Set(o, "items[0].quantity", 0);
            Set(o, "items[2].quantity", 0);
        });

        var reply = await app.Client.PostJsonAsync(Path, body);

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Equal(new[] { "customer", "items[0].quantity", "items[2].quantity" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Null_optional_nested_record_skips_its_validation_but_present_one_is_validated()
    {
        var withoutBill = await app.Client.PostJsonAsync(Path, Order(o => o["billTo"] = null));
        var badBill = await app.Client.PostJsonAsync(Path, Order(o => o["billTo"] = Raw("{\"street\":\"\",\"zip\":\"ZZ\"}")));

        Assert.True(withoutBill.Status == 201, withoutBill.ToString());
        var problem = ProblemAssert.Problem(badBill, 400);
        Assert.Equal(new[] { "billTo.street", "billTo.zip" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Collection_length_minimum_is_a_validation_error()
    {
        var reply = await app.Client.PostJsonAsync(Path, Order(o => o["items"] = new JsonArray()));

        ProblemAssert.Problem(reply, 400, "items", "The field items must be a string or collection type with a minimum length of '1' and maximum length of '4'.");
    }

    // ---- Depth ----

    [Fact]
    public async Task Tree_at_the_configured_depth_binds()
    {
        var reply = await app.Client.PostJsonAsync("/sink/tree", Bodies.Tree(TestApp.MaxDepth));

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal(TestApp.MaxDepth - 1, reply.Json().GetProperty("depth").GetInt32());
    }

    [Theory]
    [InlineData(TestApp.MaxDepth + 1)]
    [InlineData(TestApp.MaxDepth + 2)]
    [InlineData(100)]
    public async Task Tree_beyond_the_configured_depth_is_400(int depth)
    {
        var reply = await app.Client.PostJsonAsync("/sink/tree", Bodies.Tree(depth));

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.TooDeep);
    }

    [Fact]
    public async Task Deep_nesting_inside_an_unknown_member_is_rejected_first_as_unknown()
    {
        string deep = new string('[', 500) + new string(']', 500);
        var reply = await app.Client.PostJsonAsync("/sink/tree", "{\"evil\":" + deep + "}");

        ProblemAssert.Problem(reply, 400, "evil", BindingMessages.UnknownProperty);
    }

    [Fact]
    public async Task Deep_arrays_for_a_scalar_member_are_400()
    {
        string deep = new string('[', 500) + new string(']', 500);
        var reply = await app.Client.PostJsonAsync("/sink/tree", "{\"root\":{\"value\":" + deep + "}}");

        ProblemAssert.Problem(reply, 400, "root.value", BindingMessages.ExpectedInt32);
    }

    // ---- helpers: a tiny path language "a.b[2].c" over JsonNode ----

    private static JsonNode? Navigate(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var (name, index) in Segments(path))
        {
            node = index is int i ? node![i] : node![name!];
        }

        return node;
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = Segments(path).ToList();
        JsonNode parent = Navigate(root, string.Concat(segments.Take(segments.Count - 1).Select(Format)).TrimStart('.'))!;
        var (name, index) = segments[^1];
        if (index is int i)
        {
            parent[i] = value;
        }
        else
        {
            parent[name!] = value;
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var segments = Segments(path).ToList();
        JsonNode parent = Navigate(root, string.Concat(segments.Take(segments.Count - 1).Select(Format)).TrimStart('.'))!;
        parent.AsObject().Remove(segments[^1].Name!);
    }

    private static string Format((string? Name, int? Index) s) => s.Index is int i ? "[" + i + "]" : "." + s.Name;

    private static System.Collections.Generic.IEnumerable<(string? Name, int? Index)> Segments(string path)
    {
        foreach (string part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                yield return (name, null);
            }

            while (bracket >= 0)
            {
                int close = part.IndexOf(']', bracket);
                yield return (null, int.Parse(part[(bracket + 1)..close], System.Globalization.CultureInfo.InvariantCulture));
                bracket = part.IndexOf('[', close);
            }
        }
    }
}
