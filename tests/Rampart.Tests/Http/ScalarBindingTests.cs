using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Rampart.Binding;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Strict binding of every scalar type over HTTP (POST /sink/scalars).</summary>
public sealed class ScalarBindingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private const string Path = "/sink/scalars";

    [Fact]
    public async Task Valid_request_with_every_member_echoes_the_bound_values()
    {
        string body = Bodies.Object(Bodies.ScalarMembers.Concat(new[]
        {
            new System.Collections.Generic.KeyValuePair<string, string>("optText", "\"caf\\u00e9\""),
            new("optFlag", "false"),
            new("optInt", "-2147483648"),
            new("optLong", "-9223372036854775808"),
            new("optDecimal", "-0.0001"),
            new("optDouble", "1.5e-300"),
            new("optGuid", "\"00000000-0000-0000-0000-000000000001\""),
            new("optWhen", "\"2030-01-02T03:04:05.678Z\""),
            new("optColor", "\"Blue\""),
        }));

        var reply = await app.Client.PostJsonAsync(Path, body);

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal("utf-8", reply.Message.Content.Headers.ContentType?.CharSet);
        var json = reply.Json();
        Assert.Equal("hello", json.GetProperty("text").GetString());
        Assert.True(json.GetProperty("flag").GetBoolean());
        Assert.Equal(1, json.GetProperty("int").GetInt32());
        Assert.Equal(2L, json.GetProperty("long").GetInt64());
        Assert.Equal(3.5m, json.GetProperty("decimal").GetDecimal());
        Assert.Equal(4.25, json.GetProperty("double").GetDouble());
        Assert.Equal(Guid.Parse(Bodies.GuidText), json.GetProperty("guid").GetGuid());
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), json.GetProperty("when").GetDateTimeOffset());
        Assert.Equal("Green", json.GetProperty("color").GetString());
        Assert.Equal("café", json.GetProperty("optText").GetString());
        Assert.False(json.GetProperty("optFlag").GetBoolean());
        Assert.Equal(int.MinValue, json.GetProperty("optInt").GetInt32());
        Assert.Equal(long.MinValue, json.GetProperty("optLong").GetInt64());
        Assert.Equal(-0.0001m, json.GetProperty("optDecimal").GetDecimal());
        Assert.Equal(1.5e-300, json.GetProperty("optDouble").GetDouble());
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), json.GetProperty("optGuid").GetGuid());
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), json.GetProperty("optWhen").GetDateTimeOffset());
        Assert.Equal("Blue", json.GetProperty("optColor").GetString());
    }

    [Fact]
    public async Task Optional_members_may_be_absent_or_null()
    {
        string body = Bodies.Scalars("optInt", "null").Replace("}", ",\"optText\":null,\"optColor\":null,\"optWhen\":null}", StringComparison.Ordinal);

        var reply = await app.Client.PostJsonAsync(Path, body);

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        foreach (string name in new[] { "optText", "optFlag", "optInt", "optLong", "optDecimal", "optDouble", "optGuid", "optWhen", "optColor" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty(name).ValueKind);
        }
    }

    [Fact]
    public async Task Members_may_come_in_any_order_and_with_escaped_names()
    {
        var reversed = Bodies.ScalarMembers.Reverse().Select(p => p.Key == "int" ? new System.Collections.Generic.KeyValuePair<string, string>("\\u0069nt", "7") : p);

        var reply = await app.Client.PostJsonAsync(Path, Bodies.Object(reversed));

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal(7, reply.Json().GetProperty("int").GetInt32());
    }

    public static TheoryData<string, string, string, string> WrongTypes => new()
    {
        // member, raw JSON value, expected message, marker that must not be echoed
        { "text", "12345678", BindingMessages.ExpectedString, "12345678" },
        { "text", "true", BindingMessages.ExpectedString, "true," },
        { "text", "{\"x\":\"ECHOMARK\"}", BindingMessages.ExpectedString, "ECHOMARK" },
        { "text", "[\"ECHOMARK\"]", BindingMessages.ExpectedString, "ECHOMARK" },
        { "flag", "\"true\"", BindingMessages.ExpectedBoolean, "\"true\"" },
        { "flag", "1", BindingMessages.ExpectedBoolean, "ECHOMARK" },
        { "flag", "[true]", BindingMessages.ExpectedBoolean, "ECHOMARK" },
        { "int", "\"31337\"", BindingMessages.ExpectedInt32, "31337" },
        { "int", "1.5", BindingMessages.ExpectedInt32, "1.5" },
        { "int", "1e2", BindingMessages.ExpectedInt32, "1e2" },
        { "int", "1.0", BindingMessages.ExpectedInt32, "1.0" },
        { "int", "2147483648", BindingMessages.ExpectedInt32, "ECHOMARK" },
        { "int", "2147483650", BindingMessages.ExpectedInt32, "2147483650" },
        { "int", "-2147483649", BindingMessages.ExpectedInt32, "-2147483649" },
        { "int", "99999999999999999999", BindingMessages.ExpectedInt32, "99999999999999999999" },
        { "int", "true", BindingMessages.ExpectedInt32, "ECHOMARK" },
        { "int", "{}", BindingMessages.ExpectedInt32, "ECHOMARK" },
        { "long", "\"31337\"", BindingMessages.ExpectedInt64, "31337" },
        { "long", "9223372036854775808", BindingMessages.ExpectedInt64, "9223372036854775808" },
        { "long", "-9223372036854775809", BindingMessages.ExpectedInt64, "9223372036854775809" },
        { "long", "99999999999999999999", BindingMessages.ExpectedInt64, "99999999999999999999" },
        { "long", "2.5", BindingMessages.ExpectedInt64, "2.5" },
        { "decimal", "\"3.5\"", BindingMessages.ExpectedDecimal, "3.5" },
        { "decimal", "1e400", BindingMessages.ExpectedDecimal, "1e400" },
        { "decimal", "79228162514264337593543950336", BindingMessages.ExpectedDecimal, "79228162514264337593543950336" },
        { "decimal", "[]", BindingMessages.ExpectedDecimal, "ECHOMARK" },
        { "double", "\"4.25\"", BindingMessages.ExpectedDouble, "4.25" },
        { "double", "1e400", BindingMessages.ExpectedDouble, "1e400" },
        { "double", "-1e400", BindingMessages.ExpectedDouble, "1e400" },
        { "double", "false", BindingMessages.ExpectedDouble, "ECHOMARK" },
        { "guid", "123456789", BindingMessages.ExpectedGuid, "123456789" },
        { "guid", "\"ECHOMARK\"", BindingMessages.ExpectedGuid, "ECHOMARK" },
        { "guid", "\"6f9619ff8b86d011b42d00cf4fc964ff\"", BindingMessages.ExpectedGuid, "6f9619ff" },
        { "guid", "\"{6f9619ff-8b86-d011-b42d-00cf4fc964ff}\"", BindingMessages.ExpectedGuid, "6f9619ff" },
        { "when", "\"ECHOMARK\"", BindingMessages.ExpectedDateTimeOffset, "ECHOMARK" },
        { "when", "\"2024-13-01T00:00:00Z\"", BindingMessages.ExpectedDateTimeOffset, "2024-13" },
        { "when", "1714972089", BindingMessages.ExpectedDateTimeOffset, "1714972089" },
        { "color", "\"green\"", BindingMessages.ExpectedEnum, "green" },
        { "color", "\"ECHOMARK\"", BindingMessages.ExpectedEnum, "ECHOMARK" },
        { "color", "1", BindingMessages.ExpectedEnum, "ECHOMARK" },
        { "color", "\"Green \"", BindingMessages.ExpectedEnum, "Green " },
        { "optText", "42", BindingMessages.ExpectedString, "ECHOMARK" },
        { "optFlag", "\"yes\"", BindingMessages.ExpectedBoolean, "yes" },
        { "optInt", "\"1\"", BindingMessages.ExpectedInt32, "ECHOMARK" },
        { "optLong", "1.5", BindingMessages.ExpectedInt64, "1.5" },
        { "optDecimal", "true", BindingMessages.ExpectedDecimal, "ECHOMARK" },
        { "optDouble", "\"NaN\"", BindingMessages.ExpectedDouble, "NaN" },
        { "optGuid", "\"\"", BindingMessages.ExpectedGuid, "ECHOMARK" },
        { "optWhen", "{}", BindingMessages.ExpectedDateTimeOffset, "ECHOMARK" },
        { "optColor", "\"ECHOMARK\"", BindingMessages.ExpectedEnum, "ECHOMARK" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Wrong_json_type_is_400_at_the_member(string member, string value, string message, string marker)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars(member, value));

        ProblemAssert.Problem(reply, 400, member, message, marker);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("flag")]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("decimal")]
    [InlineData("double")]
    [InlineData("guid")]
    [InlineData("when")]
    [InlineData("color")]
    public async Task Null_for_a_non_nullable_member_is_400(string member)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars(member, "null"));

        ProblemAssert.Problem(reply, 400, member, BindingMessages.NotNull);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("flag")]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("decimal")]
    [InlineData("double")]
    [InlineData("guid")]
    [InlineData("when")]
    [InlineData("color")]
    public async Task Missing_required_member_is_400(string member)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars(member, null));

        ProblemAssert.Problem(reply, 400, member, BindingMessages.Required);
    }

    [Fact]
    public async Task Unknown_property_is_400_keyed_by_its_name()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("isAdmin", "\"ECHOMARK\""));

        ProblemAssert.Problem(reply, 400, "isAdmin", BindingMessages.UnknownProperty, "ECHOMARK");
    }

    [Fact]
    public async Task Unknown_property_differing_only_in_case_is_400()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("Text", "\"x\""));

        ProblemAssert.Problem(reply, 400, "Text", BindingMessages.UnknownProperty);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a b")]
    [InlineData("\\u0041dmin")]
    [InlineData("ECHOMARKECHOMARKECHOMARKECHOMARKECHOMARKECHOMARKECHOMARKECHOMARK1")]
    public async Task Unknown_property_with_a_hostile_name_is_not_echoed(string name)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars(name, "1"));

        ProblemAssert.Problem(reply, 400, "$unknown", BindingMessages.UnknownProperty, "script", "a b", "Admin", "ECHOMARK");
    }

    [Theory]
    [InlineData("int", "\"int\":2")]
    [InlineData("int", "\"\\u0069nt\":2")]
    [InlineData("text", "\"text\":\"ECHOMARK\"")]
    [InlineData("color", "\"color\":null")]
    public async Task Duplicate_property_is_400(string member, string duplicate)
    {
        string body = Bodies.Scalars().TrimEnd('}') + "," + duplicate + "}";

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, member, BindingMessages.DuplicateProperty, "ECHOMARK");
    }

    [Fact]
    public async Task Duplicate_of_an_optional_member_is_400()
    {
        string body = Bodies.Scalars().TrimEnd('}') + ",\"optInt\":1,\"optInt\":null}";

        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, "optInt", BindingMessages.DuplicateProperty);
    }

    public static TheoryData<string, bool> StringBoundaries => new()
    {
        // text has [MaxLength(8)]: exactly 8 UTF-16 characters pass, 9 fail, however they are encoded.
        { "abcdefgh", true },
        { "abcdefghi", false },
        { "éééééééé", true },
        { "ééééééééé", false },
        { "日本語日本語日本", true },
        { "日本語日本語日本語", false },
        { "😀😀😀😀", true },        // 4 surrogate pairs = 8 UTF-16 characters
        { "😀😀😀😀a", false },
        { "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9", true },          // 48 bytes = 6 * max
        { "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9", false },  // 54 bytes
        { "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00", true },
        { "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00a", false },
        { "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\", true },   // 8 escaped backslashes
        { "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\", false },
        { "\\n\\t\\r\\b\\f\\/\\\"\\\\", true },
        { "\\n\\t\\r\\b\\f\\/\\\"\\\\x", false },
        { "abcdefg\\u0041", true },
        { "abcdefgh\\u0041", false },
        { "ééééééé\\u0041", true },
        { "\\u0041ééééééé", true },
        { "\\u0041éééééééé", false },
        { "", true },
    };

    [Theory]
    [MemberData(nameof(StringBoundaries))]
    public async Task String_maximum_counts_utf16_characters_at_the_boundary(string escapedContent, bool passes)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("text", "\"" + escapedContent + "\""));

        if (passes)
        {
            Assert.True(reply.Status == 200, reply.ToString());
            string expected = System.Text.Json.JsonSerializer.Deserialize<string>("\"" + escapedContent + "\"")!;
            Assert.Equal(expected, reply.Json().GetProperty("text").GetString());
        }
        else
        {
            ProblemAssert.Problem(reply, 400, "text", BindingMessages.StringTooLong);
        }
    }

    [Fact]
    public async Task Very_long_string_is_rejected_without_echo()
    {
        string marker = new('Z', 3000);
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("text", "\"" + marker + "\""));

        ProblemAssert.Problem(reply, 400, "text", BindingMessages.StringTooLong, "ZZZZZZZZZ");
    }

    [Fact]
    public async Task Optional_string_has_its_own_maximum()
    {
        var ok = await app.Client.PostJsonAsync(Path, Bodies.Scalars("optText", "\"12345678\""));
        var tooLong = await app.Client.PostJsonAsync(Path, Bodies.Scalars("optText", "\"123456789\""));

        Assert.True(ok.Status == 200, ok.ToString());
        ProblemAssert.Problem(tooLong, 400, "optText", BindingMessages.StringTooLong, "123456789");
    }

    [Fact]
    public async Task Number_formats_json_allows_are_accepted()
    {
        string body = Bodies.Object(Bodies.ScalarMembers
            .Select(p => p.Key switch
            {
                "int" => new System.Collections.Generic.KeyValuePair<string, string>(p.Key, "-0"),
                "double" => new(p.Key, "1E+2"),
                "decimal" => new(p.Key, "1.5e1"),
                "long" => new(p.Key, "-9223372036854775808"),
                _ => p,
            }));

        var reply = await app.Client.PostJsonAsync(Path, body);

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        Assert.Equal(0, json.GetProperty("int").GetInt32());
        Assert.Equal(100.0, json.GetProperty("double").GetDouble());
        Assert.Equal(15m, json.GetProperty("decimal").GetDecimal());
        Assert.Equal(long.MinValue, json.GetProperty("long").GetInt64());
    }

    [Fact]
    public async Task Dates_keep_their_offset()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("when", "\"2024-02-29T23:59:59.9999999-11:30\""));

        Assert.True(reply.Status == 200, reply.ToString());
        var when = DateTimeOffset.Parse(reply.Json().GetProperty("when").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(-11.5), when.Offset);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(9999999), when.DateTime);
    }
}
