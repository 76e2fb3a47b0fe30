using System;
using System.Text;
using System.Text.Json;
using Rampart.Binding;
using Rampart.Tests.Contracts;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class JsonBodyTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData(" application/json ")]
    [InlineData("application/json;charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/json; CHARSET = utf-8")]
    [InlineData("application/json; boundary=x")]
    [InlineData("application/json; v=2; charset=utf-8")]
    [InlineData("application/json;")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/problem+json; charset=utf-8")]
    [InlineData("application/vnd.example.order+json")]
    [InlineData("APPLICATION/VND.API+JSON")]
    public void Json_media_types_are_recognised(string contentType) => Assert.True(JsonBody.IsJsonMediaType(contentType), contentType);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("text/plain")]
    [InlineData("text/json")]
    [InlineData("application/javascript")]
    [InlineData("application/jsonx")]
    [InlineData("application/json5")]
    [InlineData("application/x-json")]
    [InlineData("application/json-seq")]
    [InlineData("application/+jsonx")]
    [InlineData("text/plain+json")]
    [InlineData("multipart/form-data")]
    [InlineData("application/json, text/plain")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=utf-16le")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=us-ascii")]
    [InlineData("application/json; charset=")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=utf-8; charset=latin1")]
    [InlineData("application/merge-patch+json; charset=windows-1252")]
    public void Other_media_types_and_charsets_are_refused(string? contentType) => Assert.False(JsonBody.IsJsonMediaType(contentType), contentType);

    [Fact]
    public void TryRead_binds_a_complete_document()
    {
        byte[] body = Encoding.UTF8.GetBytes(Infrastructure.Bodies.Scalars());

        bool ok = ScalarsRequest.RampartEndpoint.TryReadJson(body, JsonLimits.Default, out var value, out var error);

        Assert.True(ok, error.Message);
        Assert.Equal("hello", value.Text);
        Assert.Equal(Color.Green, value.Color);
        Assert.Null(value.OptInt);
    }

    [Theory]
    [InlineData("", BindingMessages.BodyRequired)]
    [InlineData("{", BindingMessages.MalformedJson)]
    [InlineData("{} x", BindingMessages.TrailingData)]
    [InlineData("{\"note\":", BindingMessages.MalformedJson)]
    [InlineData("{} {}", BindingMessages.TrailingData)]
    [InlineData("   ", BindingMessages.BodyRequired)]
    [InlineData("[]", BindingMessages.ExpectedObject)]
    [InlineData("null", BindingMessages.NotNull)]
    public void TryRead_maps_document_failures_to_400_at_the_root(string json, string message)
    {
        // Ping's only member is optional, so "{}" alone is a valid document.
        Assert.True(Ping.RampartEndpoint.TryReadJson("{}"u8, JsonLimits.Default, out _, out _));

        bool ok = Ping.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), JsonLimits.Default, out _, out var error);

        Assert.False(ok);
        Assert.Equal(400, error.Status);
        Assert.Equal(string.Empty, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TryRead_reports_too_deep_documents()
    {
        var limits = new JsonLimits(maxDepth: 4, maxStringLength: 64, maxCollectionLength: 8);

        bool atLimit = Tree.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(Infrastructure.Bodies.Tree(4)), limits, out var tree, out var e1);
        bool beyond = Tree.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(Infrastructure.Bodies.Tree(5)), limits, out _, out var e2);

        Assert.True(atLimit, e1.Message);
        Assert.Equal(0, tree.Root.Value);
        Assert.False(beyond);
        Assert.Equal(BindingMessages.TooDeep, e2.Message);
        Assert.Equal(string.Empty, e2.Path);
    }

    [Fact]
    public void TryRead_does_not_call_a_syntax_error_near_the_depth_limit_too_deep()
    {
        // Depth 4 allowed; the error is a malformed literal at depth 3, well within the limit.
        var limits = new JsonLimits(maxDepth: 4, maxStringLength: 64, maxCollectionLength: 8);

        bool ok = Tree.RampartEndpoint.TryReadJson("{\"root\":{\"value\":1,\"child\":{\"value\":tru}}}"u8, limits, out _, out var error);

        Assert.False(ok);
        Assert.Equal(BindingMessages.MalformedJson, error.Message);
    }

    [Fact]
    public void TryRead_rejects_invalid_utf8_with_a_400_instead_of_throwing()
    {
        byte[] body = Encoding.UTF8.GetBytes(Infrastructure.Bodies.Scalars());
        int index = Array.IndexOf(body, (byte)'h');
        body[index] = 0xFF;

        bool ok = ScalarsRequest.RampartEndpoint.TryReadJson(body, JsonLimits.Default, out _, out var error);

        Assert.False(ok);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void Limits_configure_a_strict_reader()
    {
        var limits = new JsonLimits(7, 10, 3);

        Assert.Equal(7, limits.ReaderOptions.MaxDepth);
        Assert.Equal(JsonCommentHandling.Disallow, limits.ReaderOptions.CommentHandling);
        Assert.False(limits.ReaderOptions.AllowTrailingCommas);
        Assert.Equal(10, limits.MaxStringLength);
        Assert.Equal(3, limits.MaxCollectionLength);
        Assert.Equal(Hosting.RampartOptions.DefaultMaxJsonDepth, JsonLimits.Default.MaxDepth);
    }
}
