using System.ComponentModel.DataAnnotations;
using System.Linq;
using System.Threading.Tasks;
using Rampart.Binding;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>[Required]: missing is a binding error; null (and, for strings, blank) is a validation error.</summary>
public sealed class RequiredTests(SharedApp app) : IClassFixture<SharedApp>
{
    private const string Path = "/sink/required";

    private static readonly (string Name, string Value)[] Valid =
    {
        ("blank", "\"\""), ("strict", "\"x\""), ("count", "0"), ("shade", "\"Red\""), ("items", "[]"), ("box", "{\"width\":1,\"height\":1}"),
    };

    private static string Body(string member, string? value) =>
        "{" + string.Join(",", Valid.Where(p => p.Name != member || value is not null).Select(p => "\"" + p.Name + "\":" + (p.Name == member ? value : p.Value))) + "}";

    [Fact]
    public async Task All_present_is_204()
    {
        var reply = await app.Client.PostJsonAsync(Path, Body("none", null));

        Assert.True(reply.Status == 204, reply.ToString());
    }

    [Theory]
    [InlineData("blank")]
    [InlineData("strict")]
    [InlineData("count")]
    [InlineData("shade")]
    [InlineData("items")]
    [InlineData("box")]
    public async Task Missing_is_a_binding_error(string member)
    {
        var reply = await app.Client.PostJsonAsync(Path, Body(member, null));

        ProblemAssert.Problem(reply, 400, member, BindingMessages.Required);
    }

    [Theory]
    [InlineData("blank")]
    [InlineData("strict")]
    [InlineData("count")]
    [InlineData("shade")]
    [InlineData("items")]
    [InlineData("box")]
    public async Task Null_is_a_validation_error(string member)
    {
        var reply = await app.Client.PostJsonAsync(Path, Body(member, "null"));

        ProblemAssert.Problem(reply, 400, member, new RequiredAttribute().FormatErrorMessage(member));
    }

    [Theory]
    [InlineData("\"\"", false)]
    [InlineData("\"   \"", false)]
    [InlineData("\"\\t\\n\"", false)]
    [InlineData("\"\\u00a0\"", false)]
    [InlineData("\"x\"", true)]
    public async Task Blank_strings_fail_Required_unless_AllowEmptyStrings(string value, bool strictPasses)
    {
        string text = System.Text.Json.JsonSerializer.Deserialize<string>(value)!;
        Assert.Equal(strictPasses, new RequiredAttribute().IsValid(text));
        Assert.True(new RequiredAttribute { AllowEmptyStrings = true }.IsValid(text));

        var strict = await app.Client.PostJsonAsync(Path, Body("strict", value));
        var blank = await app.Client.PostJsonAsync(Path, Body("blank", value));

        if (strictPasses)
        {
            Assert.True(strict.Status == 204, strict.ToString());
        }
        else
        {
            ProblemAssert.Problem(strict, 400, "strict", "The strict field is required.");
        }

        Assert.True(blank.Status == 204, blank.ToString());
    }
}
