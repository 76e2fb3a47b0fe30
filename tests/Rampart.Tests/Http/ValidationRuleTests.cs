using System.Linq;
using System.Threading.Tasks;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Each validation attribute failing over HTTP (POST /sink/rules; every member optional and valid by default).</summary>
public sealed class ValidationRuleTests(SharedApp app) : IClassFixture<SharedApp>
{
    private const string Path = "/sink/rules";

    // [Required] makes "title" required in the JSON too; every other member is optional.
    private static string Body(string member, string value) =>
        member == "title" ? "{\"title\":" + value + "}" : "{\"title\":\"t\",\"" + member + "\":" + value + "}";

    [Fact]
    public async Task Defaults_are_valid_and_reach_the_handler()
    {
        var reply = await app.Client.PostJsonAsync(Path, "{\"title\":\"t\"}");

        Assert.True(reply.Status == 200, reply.ToString());
        var json = reply.Json();
        Assert.True(json.GetProperty("accepted").GetBoolean());
        Assert.Equal(5, json.GetProperty("level").GetInt32());
    }

    [Fact]
    public async Task Parity_probe_with_valid_values_is_204_and_with_invalid_ones_400()
    {
        const string valid = """{"sku":"ABCD1234","slug":"ab-12","pairs":"abcd","phone":"123-4567","dot":"ab","ident":"_a","negated":"a;1","unanchored":"abx","spaced":"1{1, 3}","alternation":"abcd","email":"a@b","url":"ftp://x"}""";
        const string invalid = """{"sku":"abcd1234","slug":"AB-12","pairs":"abc","phone":"1234567","dot":"a","ident":"1a","negated":";1","unanchored":"xa","alternation":"abd","email":"ab","url":"x"}""";

        var ok = await app.Client.PostJsonAsync("/sink/probe", valid.Replace("\"spaced\":\"1{1, 3}\",", string.Empty, System.StringComparison.Ordinal));
        var bad = await app.Client.PostJsonAsync("/sink/probe", invalid);

        Assert.True(ok.Status == 204, ok.ToString());
        Assert.Empty(ok.Bytes);
        var problem = ProblemAssert.Problem(bad, 400);
        Assert.Equal(new[] { "sku", "slug", "pairs", "phone", "dot", "ident", "negated", "unanchored", "alternation", "email", "url" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Every_member_set_to_a_valid_value_passes()
    {
        const string body = """
            {"level":10,"offset":-1000,"stars":5,"fraction":0.999,"price":99.99,"nick":"Ada_1","code":"ab","initials":"ABCD",
             "pair":["a","b"],"scores":[1,2,3],"sku":"ABCD1234","slug":"abc-1234","pairs":"abcdab","email":"a@b","homepage":"HTTPS://x",
             "tone":"green","user":"bob","tier":3,"shade":"Green","title":"x","min":3,"max":3}
            """;

        var reply = await app.Client.PostJsonAsync(Path, body);

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal(10, reply.Json().GetProperty("level").GetInt32());
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        // member, raw JSON value, expected message
        { "level", "0", "The field level must be between 1 and 10." },
        { "level", "11", "The field level must be between 1 and 10." },
        { "offset", "-1001", "The field offset must be between -1000 and 1000." },
        { "offset", "9223372036854775807", "The field offset must be between -1000 and 1000." },
        { "stars", "0", "The field stars must be between 1 and 5." },
        { "fraction", "0", "The field fraction must be between 0 exclusive and 1 exclusive." },
        { "fraction", "1", "The field fraction must be between 0 exclusive and 1 exclusive." },
        { "fraction", "-0.0", "The field fraction must be between 0 exclusive and 1 exclusive." },
        { "fraction", "1.0000000001", "The field fraction must be between 0 exclusive and 1 exclusive." },
        { "price", "0.49", "The field price must be between 0.50 and 99.99." },
        { "price", "99.991", "The field price must be between 0.50 and 99.99." },
        { "nick", "\"ab\"", "The field nick must be a string with a minimum length of 3 and a maximum length of 10." },
        { "nick", "\"1abc\"", "The field nick must match the regular expression '^[A-Za-z][A-Za-z0-9_]*$'." },
        { "code", "\"a\"", "The field code must be a string or array type with a minimum length of '2'." },
        { "initials", "\"A\"", "The field initials must be a string or collection type with a minimum length of '2' and maximum length of '4'." },
        { "pair", "[\"a\"]", "The field pair must be a string or collection type with a minimum length of '2' and maximum length of '4'." },
        { "scores", "[]", "The field scores must be a string or array type with a minimum length of '1'." },
        { "sku", "\"abcd1234\"", "The field sku must match the regular expression '^[A-Z0-9]{8}$'." },
        { "sku", "\"ABCD123\"", "The field sku must match the regular expression '^[A-Z0-9]{8}$'." },
        { "sku", "\"ABCD123\\n\"", "The field sku must match the regular expression '^[A-Z0-9]{8}$'." },
        { "slug", "\"abc-1\"", "The field slug must match the regular expression '^[a-z]+-[0-9]{2,4}$'." },
        { "slug", "\"abc-12345\"", "The field slug must match the regular expression '^[a-z]+-[0-9]{2,4}$'." },
        { "slug", "\"-12\"", "The field slug must match the regular expression '^[a-z]+-[0-9]{2,4}$'." },
        { "pairs", "\"abc\"", "The field pairs must match the regular expression '^(ab|cd)+$'." },
        { "pairs", "\"abab\\n\"", "The field pairs must match the regular expression '^(ab|cd)+$'." },

        // "" is a value: patterns (unlike RegularExpressionAttribute) and lengths check it; only null is "not given".
        { "sku", "\"\"", "The field sku must match the regular expression '^[A-Z0-9]{8}$'." },
        { "slug", "\"\"", "The field slug must match the regular expression '^[a-z]+-[0-9]{2,4}$'." },
        { "pairs", "\"\"", "The field pairs must match the regular expression '^(ab|cd)+$'." },
        { "nick", "\"\"", "The field nick must be a string with a minimum length of 3 and a maximum length of 10." },
        { "code", "\"\"", "The field code must be a string or array type with a minimum length of '2'." },
        { "initials", "\"\"", "The field initials must be a string or collection type with a minimum length of '2' and maximum length of '4'." },
        { "email", "\"ECHOMARK\"", "The email field is not a valid e-mail address." },
        { "email", "\"a@b@c\"", "The email field is not a valid e-mail address." },
        { "email", "\"@b\"", "The email field is not a valid e-mail address." },
        { "email", "\"\"", "The email field is not a valid e-mail address." },
        { "homepage", "\"javascript:ECHOMARK\"", "The homepage field is not a valid fully-qualified http, https, or ftp URL." },
        { "homepage", "\"\"", "The homepage field is not a valid fully-qualified http, https, or ftp URL." },
        { "tone", "\"blue\"", "The tone field does not equal any of the values specified in AllowedValuesAttribute." },
        { "tone", "\"Red\"", "The tone field does not equal any of the values specified in AllowedValuesAttribute." },
        { "user", "\"admin\"", "The user field equals one of the values specified in DeniedValuesAttribute." },
        { "tier", "4", "The tier field does not equal any of the values specified in AllowedValuesAttribute." },
        { "shade", "\"Blue\"", "The shade field equals one of the values specified in DeniedValuesAttribute." },
        { "title", "null", "The title field is required." },
        { "title", "\"\"", "The title field is required." },
        { "title", "\" \\t\\n\"", "The title field is required." },
        { "max", "-1", "max must not be less than min." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Each_attribute_failing_is_a_400_keyed_by_the_member(string member, string value, string message)
    {
        var reply = await app.Client.PostJsonAsync(Path, Body(member, value));

        var problem = ProblemAssert.Problem(reply, 400, member, message, "ECHOMARK");
        Assert.Equal("One or more validation errors occurred.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("fraction", "0.5")]
    [InlineData("fraction", "1e-300")]
    [InlineData("price", "0.50")]
    [InlineData("level", "1")]
    [InlineData("stars", "null")]
    [InlineData("nick", "null")]
    [InlineData("sku", "null")]
    [InlineData("email", "\"a@b\\u00e9.c\"")]
    [InlineData("email", "null")]
    [InlineData("homepage", "\"ftp://\"")]
    [InlineData("user", "null")]
    [InlineData("user", "\"Admin\"")]
    [InlineData("title", "\"\\u00a0x\"")]
    public async Task Boundary_values_pass(string member, string value)
    {
        var reply = await app.Client.PostJsonAsync(Path, Body(member, value));

        Assert.True(reply.Status == 200, $"{member}={value}: {reply}");
    }

    [Theory]
    [InlineData("9007199254740993", true)]
    [InlineData("9007199254740992", true)]
    [InlineData("9007199254740994", false)]
    [InlineData("-1", false)]
    public async Task Long_range_bounds_are_exact_beyond_double_precision(string value, bool passes)
    {
        // [Range(typeof(long), "0", "9007199254740993")]: DataAnnotations compares as long.
        var attribute = new System.ComponentModel.DataAnnotations.RangeAttribute(typeof(long), "0", "9007199254740993");
        Assert.Equal(passes, attribute.IsValid(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

        var reply = await app.Client.PostJsonAsync(Path, Body("big", value));

        if (passes)
        {
            Assert.True(reply.Status == 200, reply.ToString());
        }
        else
        {
            ProblemAssert.Problem(reply, 400, "big", attribute.FormatErrorMessage("big"));
        }
    }

    [Theory]
    [InlineData("{\"title\":\"t\",\"class\":3,\"event\":\"default\"}", 200, null)]
    [InlineData("{\"title\":\"t\",\"event\":\"event\"}", 200, null)]
    [InlineData("{\"title\":\"t\",\"class\":10}", 400, "class")]
    [InlineData("{\"title\":\"t\",\"event\":\"Default\"}", 400, "event")]
    [InlineData("{\"title\":\"t\",\"class\":1,\"class\":2}", 400, "class")]
    public async Task Keyword_named_members_and_enum_values_bind_and_validate(string body, int status, string? key)
    {
        var reply = await app.Client.PostJsonAsync(Path, body);

        if (status == 200)
        {
            Assert.True(reply.Status == 200, reply.ToString());
        }
        else
        {
            ProblemAssert.Problem(reply, status, key);
        }
    }

    [Fact]
    public async Task Multiple_failures_are_all_reported_in_one_response_in_member_order()
    {
        const string body = """{"title":"t","level":0,"fraction":1,"nick":"9","sku":"bad","email":"nope","tone":"blue","tier":9,"min":5,"max":1}""";

        var reply = await app.Client.PostJsonAsync(Path, body);

        var problem = ProblemAssert.Problem(reply, 400, notEchoed: "nope");
        Assert.Equal(new[] { "level", "fraction", "nick", "sku", "email", "tone", "tier", "max" }, ProblemAssert.ErrorKeys(problem));
        // nick fails two attributes: both messages, under one key.
        Assert.Equal(2, ProblemAssert.Messages(problem, "nick").Length);
    }

    [Fact]
    public async Task Length_maximum_on_a_collection_is_enforced_while_binding()
    {
        var reply = await app.Client.PostJsonAsync(Path, Body("scores", "[1,2,3,4]"));

        ProblemAssert.Problem(reply, 400, "scores", Rampart.Binding.BindingMessages.ArrayTooLong);
    }

    [Fact]
    public async Task Custom_hook_runs_after_attributes_and_with_them()
    {
        var reply = await app.Client.PostJsonAsync(Path, "{\"title\":\"t\",\"level\":99,\"min\":2,\"max\":1}");

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Equal(new[] { "level", "max" }, ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Validation_error_messages_never_contain_the_submitted_values()
    {
        const string body = """{"title":"t","nick":"SECRET-X","sku":"SECRETY","slug":"SECRETZ","email":"SECRETW","homepage":"SECRETV","tone":"SECRETU","user":"root"}""";

        var reply = await app.Client.PostJsonAsync(Path, body);

        var problem = ProblemAssert.Problem(reply, 400, notEchoed: new[] { "SECRET", "root\"" });
        Assert.Equal(7, ProblemAssert.ErrorKeys(problem).Length);
        Assert.All(ProblemAssert.ErrorKeys(problem), k => Assert.NotEmpty(ProblemAssert.Messages(problem, k)));
        Assert.DoesNotContain(ProblemAssert.ErrorKeys(problem), k => k.Contains("SECRET", System.StringComparison.Ordinal));
    }
}

/// <summary>Messages are the DataAnnotations messages, formatted with the JSON name.</summary>
public sealed class ValidationMessageParityTests(SharedApp app) : IClassFixture<SharedApp>
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // member, failing raw JSON value, attribute (by name, built below)
        { "level", "0", "Range(1,10)" },
        { "fraction", "0", "Range(0.0,1.0,exclusive)" },
        { "price", "0.1", "Range(decimal,0.50,99.99)" },
        { "nick", "\"ab\"", "StringLength(10,3)" },
        { "nick", "\"1ab\"", "Regex(nick)" },
        { "code", "\"a\"", "MinLength(2)" },
        { "initials", "\"A\"", "Length(2,4)" },
        { "email", "\"x\"", "EmailAddress" },
        { "homepage", "\"x\"", "Url" },
        { "tone", "\"x\"", "AllowedValues" },
        { "user", "\"root\"", "DeniedValues" },
        { "title", "\"\"", "Required" },
        { "custom", "11", "Range(1,10,custom)" },
        { "customText", "\"a\"", "StringLength(5,2,custom)" },
        { "customPattern", "\"A\"", "Regex(custom)" },
    };

    private static System.ComponentModel.DataAnnotations.ValidationAttribute Attribute(string name) => name switch
    {
        "Range(1,10)" => new System.ComponentModel.DataAnnotations.RangeAttribute(1, 10),
        "Range(0.0,1.0,exclusive)" => new System.ComponentModel.DataAnnotations.RangeAttribute(0.0, 1.0) { MinimumIsExclusive = true, MaximumIsExclusive = true },
        "Range(decimal,0.50,99.99)" => new System.ComponentModel.DataAnnotations.RangeAttribute(typeof(decimal), "0.50", "99.99"),
        "StringLength(10,3)" => new System.ComponentModel.DataAnnotations.StringLengthAttribute(10) { MinimumLength = 3 },
        "Regex(nick)" => new System.ComponentModel.DataAnnotations.RegularExpressionAttribute("^[A-Za-z][A-Za-z0-9_]*$"),
        "MinLength(2)" => new System.ComponentModel.DataAnnotations.MinLengthAttribute(2),
        "Length(2,4)" => new System.ComponentModel.DataAnnotations.LengthAttribute(2, 4),
        "EmailAddress" => new System.ComponentModel.DataAnnotations.EmailAddressAttribute(),
        "Url" => new System.ComponentModel.DataAnnotations.UrlAttribute(),
        "AllowedValues" => new System.ComponentModel.DataAnnotations.AllowedValuesAttribute("red", "green"),
        "DeniedValues" => new System.ComponentModel.DataAnnotations.DeniedValuesAttribute("admin", "root"),
        "Required" => new System.ComponentModel.DataAnnotations.RequiredAttribute(),
        "Range(1,10,custom)" => new System.ComponentModel.DataAnnotations.RangeAttribute(1, 10) { ErrorMessage = "{0} must be in [{1}, {2}]" },
        "StringLength(5,2,custom)" => new System.ComponentModel.DataAnnotations.StringLengthAttribute(5) { MinimumLength = 2, ErrorMessage = "{0}: {2} to {1} characters" },
        "Regex(custom)" => new System.ComponentModel.DataAnnotations.RegularExpressionAttribute("^[a-z]+$") { ErrorMessage = "{0} must match {1}" },
        _ => throw new System.ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Message_equals_the_attribute_message_for_the_json_name(string member, string value, string attribute)
    {
        string body = member == "title" ? "{\"title\":" + value + "}" : "{\"title\":\"t\",\"" + member + "\":" + value + "}";

        var reply = await app.Client.PostJsonAsync("/sink/rules", body);

        var problem = ProblemAssert.Problem(reply, 400, member);
        Assert.Equal(Attribute(attribute).FormatErrorMessage(member), Assert.Single(ProblemAssert.Messages(problem, member)));
    }

    [Theory]
    [InlineData("null", true)]
    [InlineData("\"a\"", true)]
    [InlineData("\"c\"", false)]
    public async Task AllowedValues_on_a_nullable_member_skips_an_absent_value(string value, bool passes)
    {
        var reply = await app.Client.PostJsonAsync("/sink/rules", "{\"title\":\"t\",\"grade\":" + value + "}");

        if (passes)
        {
            Assert.True(reply.Status == 200, reply.ToString());
        }
        else
        {
            ProblemAssert.Problem(reply, 400, "grade", "The grade field does not equal any of the values specified in AllowedValuesAttribute.");
        }
    }
}
