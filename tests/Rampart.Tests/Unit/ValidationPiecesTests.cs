using System;
using System.Linq;
using System.Text.RegularExpressions;
using Rampart.Validation;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void New_collection_is_empty()
    {
        var errors = new ValidationErrors();

        Assert.Equal(0, errors.Count);
        Assert.Empty(errors.Entries);
        Assert.Null(errors["a"]);
    }

    [Fact]
    public void Errors_are_grouped_by_path_in_first_seen_order()
    {
        var errors = new ValidationErrors();
        errors.Add("b", "one");
        errors.Add("a", "two");
        errors.Add("b", "three");

        Assert.Equal(2, errors.Count);
        Assert.Equal(new[] { "b", "a" }, errors.Entries.Select(e => e.Key));
        Assert.Equal(new[] { "one", "three" }, errors["b"]);
        Assert.Equal(new[] { "two" }, errors["a"]);
    }

    [Fact]
    public void The_same_message_for_the_same_path_is_kept_once()
    {
        var errors = new ValidationErrors();
        errors.Add("a", "m");
        errors.Add("a", "m");

        Assert.Equal(new[] { "m" }, errors["a"]);
    }

    [Fact]
    public void Paths_are_case_sensitive()
    {
        var errors = new ValidationErrors();
        errors.Add("a", "m");
        errors.Add("A", "m");

        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Static_add_creates_the_collection_on_first_use_only()
    {
        ValidationErrors? errors = null;
        ValidationErrors.Add(ref errors, "x", "m1");
        var first = errors;
        ValidationErrors.Add(ref errors, "y", "m2");

        Assert.NotNull(errors);
        Assert.Same(first, errors);
        Assert.Equal(2, errors!.Count);
    }

    [Theory]
    [InlineData("", "a", "a")]
    [InlineData("p", "a", "p.a")]
    [InlineData("p[1]", "a", "p[1].a")]
    public void JsonPath_member(string parent, string name, string expected) => Assert.Equal(expected, JsonPath.Member(parent, name));

    [Theory]
    [InlineData("items", 2, "items[2]")]
    [InlineData("", 0, "[0]")]
    [InlineData("a[1]", 10, "a[1][10]")]
    public void JsonPath_index(string parent, int index, string expected) => Assert.Equal(expected, JsonPath.Index(parent, index));
}

public sealed class RulesTests
{
    [Theory]
    [InlineData("a@b", true)]
    [InlineData("a@b@c", false)]
    [InlineData("@b", false)]
    [InlineData("a@", false)]
    [InlineData("", false)]
    [InlineData("ab", false)]
    [InlineData("a@b\n", false)]
    [InlineData("a\r@b", false)]
    public void IsEmailAddress(string value, bool expected) => Assert.Equal(expected, Rules.IsEmailAddress(value));

    [Theory]
    [InlineData("http://x", true)]
    [InlineData("HTTPS://x", true)]
    [InlineData("ftp://", true)]
    [InlineData("ftps://x", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" http://x", false)]
    [InlineData("", false)]
    public void IsUrl(string value, bool expected) => Assert.Equal(expected, Rules.IsUrl(value));

    [Theory]
    [InlineData("^(ab|cd)+$", "abcd", true)]
    [InlineData("^(ab|cd)+$", "abc", false)]
    [InlineData("^(ab|cd)+$", "abab\n", false)]
    [InlineData("(ab|cd)+", "xabcd", false)]
    [InlineData("(ab|cd)+", "abcdx", false)]
    public void IsFullMatch_requires_the_first_match_to_cover_the_value(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Rules.IsFullMatch(Rules.CreatePattern(pattern, 1000), value));

    [Fact]
    public void CreatePattern_uses_the_linear_engine_with_a_timeout()
    {
        var regex = Rules.CreatePattern("^(a+)+$", 1234);

        Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.True(regex.Options.HasFlag(RegexOptions.CultureInvariant));
        Assert.Equal(TimeSpan.FromMilliseconds(1234), regex.MatchTimeout);
        // The classic ReDoS input finishes at once on the linear engine.
        Assert.False(Rules.IsFullMatch(regex, new string('a', 50_000) + "!"));
    }

    [Fact]
    public void A_match_that_times_out_is_a_failure()
    {
        // A backtracking regex with a tiny timeout and a catastrophic input: IsFullMatch must say false, not throw.
        var slow = new Regex("^(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1));

        Assert.False(Rules.IsFullMatch(slow, new string('a', 40) + "!"));
    }
}
