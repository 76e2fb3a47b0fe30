using System;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Rampart.Binding;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class TextValueTests
{
    [Theory]
    [InlineData("0", true)]
    [InlineData("-1", true)]
    [InlineData("+1", true)]
    [InlineData("2147483647", true)]
    [InlineData("2147483648", false)]
    [InlineData(" 1", false)]
    [InlineData("1 ", false)]
    [InlineData("1,000", false)]
    [InlineData("0x10", false)]
    [InlineData("1.0", false)]
    [InlineData("\u0663", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Int32_is_strict(string? text, bool ok) => Assert.Equal(ok, TextValue.Int32(text, out _));

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("-0.25", true)]
    [InlineData("1e3", false)]
    [InlineData("1,5", false)]
    [InlineData(" 1", false)]
    public void Decimal_is_strict(string text, bool ok) => Assert.Equal(ok, TextValue.Decimal(text, out _));

    [Theory]
    [InlineData("1e3", true)]
    [InlineData("NaN", false)]
    [InlineData("Infinity", false)]
    [InlineData("-Infinity", false)]
    [InlineData("1e400", false)]
    [InlineData("\u221E", false)]
    public void Double_is_finite(string text, bool ok) => Assert.Equal(ok, TextValue.Double(text, out _));

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", true)]
    [InlineData(" true", false)]
    [InlineData("true ", false)]
    [InlineData("1", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    public void Boolean_is_strict(string text, bool ok) => Assert.Equal(ok, TextValue.Boolean(text, out _));

    [Theory]
    [InlineData("6f9619ff-8b86-d011-b42d-00cf4fc964ff", true)]
    [InlineData("6f9619ff8b86d011b42d00cf4fc964ff", false)]
    [InlineData("{6f9619ff-8b86-d011-b42d-00cf4fc964ff}", false)]
    public void Guid_is_the_D_format(string text, bool ok) => Assert.Equal(ok, TextValue.Guid(text, out _));

    [Theory]
    [InlineData("2024-01-02T03:04:05Z", true)]
    [InlineData("2024-01-02T03:04:05.123+01:00", true)]
    [InlineData("2024-01-02", true)]
    [InlineData("01/02/2024", false)]
    [InlineData("Tuesday, 2 January 2024", false)]
    [InlineData(" 2024-01-02T03:04:05Z", false)]
    [InlineData("2024-01-02T03:04:05Z ", false)]
    [InlineData("now", false)]
    public void DateTimeOffset_is_iso_8601(string text, bool ok) => Assert.Equal(ok, TextValue.DateTimeOffset(text, out _));

    [Fact]
    public void SingleQueryValue_returns_the_value_or_null_and_refuses_repeats()
    {
        var query = new QueryCollection(QueryHelpers.ParseQuery("?a=1&b=2&b=3"));

        Assert.True(TextValue.SingleQueryValue(query, "a", out string? a, out _));
        Assert.Equal("1", a);
        Assert.True(TextValue.SingleQueryValue(query, "missing", out string? missing, out _));
        Assert.Null(missing);
        Assert.False(TextValue.SingleQueryValue(query, "b", out _, out var error));
        Assert.Equal("b", error.Path);
        Assert.Equal(BindingMessages.DuplicateQuery, error.Message);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void OnlyKnownQueryKeys_is_ordinal_and_hides_hostile_keys()
    {
        string[] known = { "q", "limit" };

        Assert.True(TextValue.OnlyKnownQueryKeys(new QueryCollection(QueryHelpers.ParseQuery("?q=1&limit=2")), known, out _));
        Assert.True(TextValue.OnlyKnownQueryKeys(QueryCollection.Empty, known, out _));
        Assert.False(TextValue.OnlyKnownQueryKeys(new QueryCollection(QueryHelpers.ParseQuery("?LIMIT=2")), known, out var e1));
        Assert.Equal("LIMIT", e1.Path);
        Assert.False(TextValue.OnlyKnownQueryKeys(new QueryCollection(QueryHelpers.ParseQuery("?%3Cb%3E=2")), known, out var e2));
        Assert.Equal("$unknown", e2.Path);
        Assert.False(TextValue.OnlyKnownQueryKeys(new QueryCollection(QueryHelpers.ParseQuery("?" + new string('k', 65) + "=2")), known, out var e3));
        Assert.Equal("$unknown", e3.Path);
        Assert.Equal(BindingMessages.UnknownQuery, e3.Message);
    }

    [Fact]
    public void The_request_overloads_read_the_query_only_when_there_is_a_query_string()
    {
        string[] known = { "q" };
        var empty = new DefaultHttpContext();

        Assert.True(TextValue.OnlyKnownQueryKeys(empty.Request, known, out _));
        Assert.True(TextValue.SingleQueryValue(empty.Request, "q", out string? none, out _));
        Assert.Null(none);
        // No query feature was created (and registered in the request's features) for an empty query.
        Assert.Null(empty.Features.Get<Microsoft.AspNetCore.Http.Features.IQueryFeature>());

        var withQuery = new DefaultHttpContext();
        withQuery.Request.QueryString = new QueryString("?q=1&other=2");
        Assert.True(TextValue.SingleQueryValue(withQuery.Request, "q", out string? q, out _));
        Assert.Equal("1", q);
        Assert.False(TextValue.OnlyKnownQueryKeys(withQuery.Request, known, out var error));
        Assert.Equal("other", error.Path);

        var repeated = new DefaultHttpContext();
        repeated.Request.QueryString = new QueryString("?q=1&q=2");
        Assert.False(TextValue.SingleQueryValue(repeated.Request, "q", out _, out var duplicate));
        Assert.Equal(BindingMessages.DuplicateQuery, duplicate.Message);
    }
}
