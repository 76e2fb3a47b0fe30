using Rampart.Binding;
using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>The generated strict JSON readers, executed.</summary>
public sealed class BindingTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private const string Lines = "\"lines\":[{\"sku\":\"A-1\",\"qty\":2}]";

    private string Read(string json, int maxDepth = 8) => fixture.Call<string>("ReadOrder", json, maxDepth);

    [Fact]
    public void ReadsAValidBodyAndAppliesDefaults() =>
        Assert.Equal(
            "ok code=AB123 count=1 note=null size=Small lines=[A-1x2] tags=null gift=False price=null ref=null email=null",
            Read("{\"code\":\"AB123\"," + Lines + "}"));

    [Fact]
    public void ReadsEveryMemberKind() =>
        Assert.Equal(
            "ok code=AB123 count=7 note=hi size=Large lines=[A-1x2,B-2x3] tags=[x,y] gift=True price=12.50 ref=0f8fad5b-d9cb-469f-a165-70867728950e email=a@b.c",
            Read("""
                {"code":"AB123","count":7,"note":"hi","size":"Large","lines":[{"sku":"A-1","qty":2},{"qty":3,"sku":"B-2"}],
                 "tags":["x","y"],"gift":true,"price":12.50,"ref":"0f8fad5b-d9cb-469f-a165-70867728950e","email":"a@b.c"}
                """));

    [Fact]
    public void ExplicitNullForNullableMembers() =>
        Assert.StartsWith("ok code=AB123 count=1 note=null", Read("{\"code\":\"AB123\",\"note\":null,\"tags\":null,\"price\":null," + Lines + "}"));

    [Theory]
    [InlineData("{\"code\":\"AB123\"," + Lines + ",\"admin\":true}", "400 admin: " + BindingMessages.UnknownProperty)]
    [InlineData("{\"code\":\"AB123\"," + Lines + ",\"<script>\":1}", "400 $unknown: " + BindingMessages.UnknownProperty)]
    [InlineData("{\"code\":\"AB123\",\"code\":\"CD456\"," + Lines + "}", "400 code: " + BindingMessages.DuplicateProperty)]
    [InlineData("{\"code\":\"AB123\"}", "400 lines: " + BindingMessages.Required)]
    [InlineData("{" + Lines + "}", "400 code: " + BindingMessages.Required)]
    [InlineData("{\"code\":\"AB123\",\"count\":\"5\"," + Lines + "}", "400 count: " + BindingMessages.ExpectedInt32)]
    [InlineData("{\"code\":\"AB123\",\"count\":1.5," + Lines + "}", "400 count: " + BindingMessages.ExpectedInt32)]
    [InlineData("{\"code\":\"AB123\",\"count\":null," + Lines + "}", "400 count: " + BindingMessages.NotNull)]
    [InlineData("{\"code\":null," + Lines + "}", "400 code: " + BindingMessages.NotNull)]
    [InlineData("{\"code\":5," + Lines + "}", "400 code: " + BindingMessages.ExpectedString)]
    [InlineData("{\"code\":\"AB1234\"," + Lines + "}", "400 code: " + BindingMessages.StringTooLong)]
    [InlineData("{\"code\":\"AB123\",\"note\":\"123456789012345678901\"," + Lines + "}", "400 note: " + BindingMessages.StringTooLong)]
    [InlineData("{\"code\":\"AB123\",\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":\"x\"}]}", "400 lines[1].qty: " + BindingMessages.ExpectedInt32)]
    [InlineData("{\"code\":\"AB123\",\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":1,\"price\":1}]}", "400 lines[1].price: " + BindingMessages.UnknownProperty)]
    [InlineData("{\"code\":\"AB123\",\"lines\":[{\"sku\":\"a\",\"qty\":1},null]}", "400 lines[1]: " + BindingMessages.NotNull)]
    [InlineData("{\"code\":\"AB123\",\"lines\":[{\"sku\":\"123456789\",\"qty\":1}]}", "400 lines[0].sku: " + BindingMessages.StringTooLong)]
    [InlineData("{\"code\":\"AB123\",\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"a\",\"qty\":1},{\"sku\":\"a\",\"qty\":1},{\"sku\":\"a\",\"qty\":1}]}", "400 lines: " + BindingMessages.ArrayTooLong)]
    [InlineData("{\"code\":\"AB123\",\"lines\":{}}", "400 lines: " + BindingMessages.ExpectedArray)]
    [InlineData("{\"code\":\"AB123\",\"tags\":[\"a\",\"b\",\"c\",\"d\",\"e\"]," + Lines + "}", "400 tags: " + BindingMessages.ArrayTooLong)]
    [InlineData("{\"code\":\"AB123\",\"tags\":[\"a\",null]," + Lines + "}", "400 tags[1]: " + BindingMessages.NotNull)]
    [InlineData("{\"code\":\"AB123\",\"size\":\"large\"," + Lines + "}", "400 size: " + BindingMessages.ExpectedEnum)]
    [InlineData("{\"code\":\"AB123\",\"size\":1," + Lines + "}", "400 size: " + BindingMessages.ExpectedEnum)]
    [InlineData("{\"code\":\"AB123\",\"gift\":\"true\"," + Lines + "}", "400 gift: " + BindingMessages.ExpectedBoolean)]
    [InlineData("{\"code\":\"AB123\",\"price\":\"1.5\"," + Lines + "}", "400 price: " + BindingMessages.ExpectedDecimal)]
    [InlineData("{\"code\":\"AB123\",\"ref\":\"not-a-guid\"," + Lines + "}", "400 ref: " + BindingMessages.ExpectedGuid)]
    [InlineData("{\"code\":\"AB123\",", "400 : " + BindingMessages.MalformedJson)]
    [InlineData("{\"code\":\"AB123\", /* hi */ " + Lines + "}", "400 : " + BindingMessages.MalformedJson)]
    [InlineData("{\"code\":\"AB123\"," + Lines + ",}", "400 : " + BindingMessages.MalformedJson)]
    [InlineData("[]", "400 : " + BindingMessages.ExpectedObject)]
    [InlineData("null", "400 : " + BindingMessages.NotNull)]
    public void RejectsBadBodies(string json, string expected) => Assert.Equal(expected, Read(json));

    [Theory]
    [InlineData("{\"code\":\"AB123\"," + Lines + "} {}")]
    [InlineData("{\"code\":\"AB123\"," + Lines + "}}")]
    [InlineData("")]
    [InlineData("   ")]
    public void RejectsEmptyBodiesAndTrailingData(string json)
    {
        // The runtime reports these as malformed JSON (the reader throws before TrailingData or
        // BodyRequired can be chosen); any of the three is a correct 400 for the whole body.
        string result = Read(json);
        Assert.Contains(result, new[] { "400 : " + BindingMessages.MalformedJson, "400 : " + BindingMessages.TrailingData, "400 : " + BindingMessages.BodyRequired });
    }

    [Fact]
    public void RejectsExcessDepth()
    {
        string json = "{\"code\":\"AB123\"," + Lines + "}";
        Assert.StartsWith("ok", Read(json, maxDepth: 3));
        Assert.Equal("400 : " + BindingMessages.TooDeep, Read(json, maxDepth: 2));
    }

    [Fact]
    public void EscapedPropertyNamesAndEnumNamesAreUnescaped() =>
        Assert.StartsWith("ok code=AB123 count=1 note=null size=Large", Read("{\"\\u0063ode\":\"AB123\",\"size\":\"\\u004Carge\"," + Lines + "}"));

    [Fact]
    public void StringLimitCountsCharactersNotBytes()
    {
        // 20 two-byte characters fit [MaxLength(20)]; 21 do not.
        Assert.StartsWith("ok", Read("{\"code\":\"AB123\",\"note\":\"" + new string('é', 20) + "\"," + Lines + "}"));
        Assert.Equal("400 note: " + BindingMessages.StringTooLong, Read("{\"code\":\"AB123\",\"note\":\"" + new string('é', 21) + "\"," + Lines + "}"));
        // Escapes count as the characters they stand for.
        Assert.StartsWith("ok", Read("{\"code\":\"AB123\",\"note\":\"" + string.Concat(System.Linq.Enumerable.Repeat("\\u0041", 20)) + "\"," + Lines + "}"));
    }

    [Fact]
    public void RouteValueComesFromStateAndIsNotAcceptedFromTheBody()
    {
        Assert.Equal("ok id=42 name=pen", fixture.Call<string>("ReadItem", "{\"name\":\"pen\"}", 42));
        Assert.Equal("400 id: " + BindingMessages.UnknownProperty, fixture.Call<string>("ReadItem", "{\"name\":\"pen\",\"id\":7}", 42));
    }

    [Fact]
    public void PositionalRecordBindsThroughItsConstructorWithDefaults()
    {
        Assert.Equal("ok name=Al age=30", fixture.Call<string>("ReadPerson", "{\"name\":\"Al\"}"));
        Assert.Equal("ok name=Al age=4", fixture.Call<string>("ReadPerson", "{\"age\":4,\"name\":\"Al\"}"));
        Assert.Equal("400 name: " + BindingMessages.Required, fixture.Call<string>("ReadPerson", "{\"age\":4}"));
        Assert.Equal("400 name: " + BindingMessages.StringTooLong, fixture.Call<string>("ReadPerson", "{\"name\":\"Bartholomew!\"}"));
    }
}
