using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>The generated validators, executed: both modes agree, every failure is keyed by its JSON path.</summary>
public sealed class ValidationTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private string Validate(string json) => fixture.Call<string>("ValidateOrder", json);

    [Fact]
    public void ValidRequestPasses() =>
        Assert.Equal("valid", Validate("""{"code":"AB123","count":100,"lines":[{"sku":"a","qty":10}],"email":"x@y","gift":true,"note":"n"}"""));

    [Theory]
    [InlineData("""{"code":"ab123","lines":[{"sku":"a","qty":1}]}""", "code: The field code must match the regular expression '^[A-Z]{2}[0-9]{3}$'.")]
    [InlineData("""{"code":"AB12","lines":[{"sku":"a","qty":1}]}""", "code: The field code must match the regular expression '^[A-Z]{2}[0-9]{3}$'.")]
    [InlineData("""{"code":"AB123","count":0,"lines":[{"sku":"a","qty":1}]}""", "count: The field count must be between 1 and 100.")]
    [InlineData("""{"code":"AB123","count":101,"lines":[{"sku":"a","qty":1}]}""", "count: The field count must be between 1 and 100.")]
    [InlineData("""{"code":"AB123","lines":[]}""", "lines: The field lines must be a string or collection type with a minimum length of '1' and maximum length of '3'.")]
    [InlineData("""{"code":"AB123","lines":[{"sku":"a","qty":1},{"sku":"b","qty":11}]}""", "lines[1].qty: The field qty must be between 1 and 10.")]
    [InlineData("""{"code":"AB123","lines":[{"sku":"a","qty":1}],"email":"nobody"}""", "email: The email field is not a valid e-mail address.")]
    [InlineData("""{"code":"AB123","lines":[{"sku":"a","qty":1}],"gift":true}""", "note: A gift needs a note.")]
    public void SingleFailureIsReportedAtItsPath(string json, string expected) => Assert.Equal(expected, Validate(json));

    // Unlike RegularExpressionAttribute (which passes null and ""), the empty string is matched
    // against the pattern: only null/absent means "not given" (docs/architecture.md, Patterns).
    [Fact]
    public void EmptyStringIsMatchedAgainstThePattern() =>
        Assert.Equal("code: The field code must match the regular expression '^[A-Z]{2}[0-9]{3}$'.", Validate("""{"code":"","lines":[{"sku":"a","qty":1}]}"""));

    [Fact]
    public void CollectingModeReportsEveryFailureInOrder() =>
        Assert.Equal(
            "code: The field code must match the regular expression '^[A-Z]{2}[0-9]{3}$'. | count: The field count must be between 1 and 100. | " +
            "lines[0].qty: The field qty must be between 1 and 10. | lines[2].qty: The field qty must be between 1 and 10. | " +
            "email: The email field is not a valid e-mail address. | note: A gift needs a note.",
            Validate("""{"code":"a","count":-1,"lines":[{"sku":"a","qty":0},{"sku":"b","qty":5},{"sku":"c","qty":99}],"email":"@","gift":true}"""));

    [Fact]
    public void PositionalRecordParameterAttributesAreValidated()
    {
        Assert.Equal("valid", fixture.Call<string>("ValidatePerson", """{"name":"Al","age":150}"""));
        Assert.Equal("age: The field age must be between 0 and 150.", fixture.Call<string>("ValidatePerson", """{"name":"Al","age":151}"""));
    }

    [Theory]
    [InlineData("ab", "valid")]
    [InlineData("abcdab", "valid")]
    [InlineData("abc", "pairs: The field pairs must match the regular expression '^(ab|cd)+$'.")]
    [InlineData("ab\n", "pairs: The field pairs must match the regular expression '^(ab|cd)+$'.")]
    [InlineData("", "pairs: The field pairs must match the regular expression '^(ab|cd)+$'.")]
    public void NonBacktrackingPatternNeedsAWholeMatch(string value, string expected) =>
        Assert.Equal(expected, fixture.Call<string>("ValidatePattern", value));

    [Fact]
    public void ValidationOfAValidRequestAllocatesNothing() =>
        Assert.Equal(0L, fixture.Call<long>("OrderValidationAllocations", 1000));

    [Fact]
    public void ValidationWithANonBacktrackingPatternAllocatesNothing() =>
        Assert.Equal(0L, fixture.Call<long>("PatternValidationAllocations", 1000));
}
