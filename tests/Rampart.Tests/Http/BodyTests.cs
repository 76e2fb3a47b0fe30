using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Rampart.Binding;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>The request body as a whole: media type, size, well-formedness, encoding and shape.</summary>
public sealed class BodyTests(SharedApp app) : IClassFixture<SharedApp>
{
    private const string Path = "/sink/scalars";

    private static string ValidBody => Bodies.Scalars();

    // ---- Media type (415) ----

    [Fact]
    public async Task Missing_content_type_is_415()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(ValidBody), contentType: null);

        var problem = ProblemAssert.Problem(reply, 415);
        Assert.Equal(BindingMessages.UnsupportedMediaType, problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/json")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/jsonp")]
    [InlineData("application/json-patch")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=\"latin1\"")]
    [InlineData("application/json; charset=")]
    [InlineData("application/merge-patch+json; charset=utf-32")]
    [InlineData("application/json;charset=utf-8;charset=utf-16")]
    public async Task Wrong_content_type_or_charset_is_415(string contentType)
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(ValidBody), contentType);

        ProblemAssert.Problem(reply, 415, notEchoed: "hello");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json;charset=\"utf-8\"")]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/problem+json")]
    [InlineData("application/vnd.api+json; charset=utf-8")]
    [InlineData("application/json; foo=bar")]
    public async Task Json_media_types_are_accepted(string contentType)
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(ValidBody), contentType);

        Assert.True(reply.Status == 200, $"{contentType}: {reply}");
        Assert.Equal("hello", reply.Json().GetProperty("text").GetString());
    }

    [Fact]
    public async Task Media_type_is_checked_before_the_body_is_read()
    {
        // Too large and malformed, but the media type is wrong: 415 wins.
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, new byte[TestApp.MaxBodyBytes * 2], "text/plain");

        ProblemAssert.Problem(reply, 415);
    }

    // ---- Size (413) ----

    [Fact]
    public async Task Body_larger_than_the_maximum_by_content_length_is_413()
    {
        string body = ValidBody.TrimEnd('}') + new string(' ', (int)TestApp.MaxBodyBytes) + "}";

        var reply = await app.Client.PostJsonAsync(Path, body);

        var problem = ProblemAssert.Problem(reply, 413);
        Assert.Equal(BindingMessages.BodyTooLarge, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Body_of_exactly_the_maximum_is_read_and_one_byte_more_is_413()
    {
        string prefix = ValidBody.TrimEnd('}');
        string exact = prefix + new string(' ', (int)TestApp.MaxBodyBytes - prefix.Length - 1) + "}";
        string over = prefix + new string(' ', (int)TestApp.MaxBodyBytes - prefix.Length) + "}";
        Assert.Equal(TestApp.MaxBodyBytes, Encoding.UTF8.GetByteCount(exact));

        var ok = await app.Client.PostJsonAsync(Path, exact);
        var tooLarge = await app.Client.PostJsonAsync(Path, over);
        var okChunked = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(exact), HttpExtensions.Json, chunked: true);
        var tooLargeChunked = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(over), HttpExtensions.Json, chunked: true);

        Assert.True(ok.Status == 200, ok.ToString());
        ProblemAssert.Problem(tooLarge, 413);
        Assert.True(okChunked.Status == 200, okChunked.ToString());
        ProblemAssert.Problem(tooLargeChunked, 413);
    }

    [Fact]
    public async Task Body_larger_than_the_maximum_without_content_length_is_413()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', (int)TestApp.MaxBodyBytes * 4) + "\"}");

        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, body, HttpExtensions.Json, chunked: true);

        ProblemAssert.Problem(reply, 413, notEchoed: "xxxxxxxx");
    }

    [Fact]
    public async Task Chunked_body_within_the_limit_is_bound()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Encoding.UTF8.GetBytes(ValidBody), HttpExtensions.Json, chunked: true);

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal("hello", reply.Json().GetProperty("text").GetString());
    }

    // ---- Malformed JSON (400 at "$") ----

    public static TheoryData<string> MalformedBodies()
    {
        string valid = ValidBody;
        var data = new TheoryData<string>
        {
            "{",
            "{\"text\"",
            "{\"text\":",
            "{\"text\":\"hel",
            "{\"text\":\"hello\",",
            valid.TrimEnd('}') + ",}",
            valid.Replace(",\"flag\"", ",,\"flag\"", StringComparison.Ordinal),
            "{," + valid[1..],
            "{/* comment */" + valid[1..],
            valid.TrimEnd('}') + "// comment\n}",
            "{'text':'hello'}",
            valid.Replace("\"text\":\"hello\"", "\"text\":'hello'", StringComparison.Ordinal),
            valid.Replace("\"text\"", "text", StringComparison.Ordinal),
            valid.Replace("\"int\":1", "\"int\":01", StringComparison.Ordinal),
            valid.Replace("\"int\":1", "\"int\":+1", StringComparison.Ordinal),
            valid.Replace("\"double\":4.25", "\"double\":NaN", StringComparison.Ordinal),
            valid.Replace("\"double\":4.25", "\"double\":Infinity", StringComparison.Ordinal),
            valid.Replace("\"double\":4.25", "\"double\":.5", StringComparison.Ordinal),
            valid.Replace("\"flag\":true", "\"flag\":True", StringComparison.Ordinal),
            valid.Replace("\"text\":\"hello\"", "\"text\":\"he\tllo\"", StringComparison.Ordinal),
            valid.Replace("\"text\":\"hello\"", "\"text\":\"he\\xllo\"", StringComparison.Ordinal),
            valid.Replace("\"text\":\"hello\"", "\"text\":\"\\u12\"", StringComparison.Ordinal),
            valid.Replace(",", ";", StringComparison.Ordinal),
            "\uFEFF" + valid,
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_is_400_for_the_whole_body(string body)
    {
        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.MalformedJson, "hello");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]                  // truncated 2-byte sequence
    [InlineData(new byte[] { 0xC0, 0xAF })]            // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]      // UTF-8 encoded surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    [InlineData(new byte[] { 0x80 })]
    public async Task Invalid_utf8_inside_a_string_is_400(byte[] bad)
    {
        byte[] body = Splice("{\"text\":\"ab", bad, "cd\"" + ValidBody[ValidBody.IndexOf(",\"flag\"", StringComparison.Ordinal)..]);

        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, body, HttpExtensions.Json);

        var problem = ProblemAssert.Problem(reply, 400);
        Assert.Single(ProblemAssert.ErrorKeys(problem));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_property_name_is_400()
    {
        byte[] body = Splice("{\"te", new byte[] { 0xFF, 0xFE }, "xt\":\"a\"}");

        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, body, HttpExtensions.Json);

        ProblemAssert.Problem(reply, 400, "$unknown", BindingMessages.UnknownProperty);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00")]
    [InlineData("a\\ud800b")]
    [InlineData("\\ude00\\ud83d")]
    public async Task Lone_escaped_surrogate_is_400(string escaped)
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("text", "\"" + escaped + "\""));

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.MalformedJson);
    }

    [Theory]
    [InlineData("{} {}")]
    [InlineData("{}{}")]
    [InlineData("{}x")]
    [InlineData("{}]")]
    [InlineData("{}\u0000")]
    public async Task Trailing_data_after_the_object_is_400(string trailer)
    {
        var reply = await app.Client.PostJsonAsync(Path, ValidBody + trailer[2..]);

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.TrailingData, "hello");
    }

    [Fact]
    public async Task Trailing_data_is_reported_with_the_trailing_data_message()
    {
        // JsonBody.TryRead has a dedicated TrailingData branch and message; a second value after the object must get it.
        var reply = await app.Client.PostJsonAsync(Path, ValidBody + " {}");

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.TrailingData);
    }

    [Fact]
    public async Task Trailing_whitespace_is_allowed()
    {
        var reply = await app.Client.PostJsonAsync(Path, " \r\n\t" + ValidBody + " \r\n\t ");

        Assert.True(reply.Status == 200, reply.ToString());
    }

    [Fact]
    public async Task Empty_body_is_400()
    {
        var reply = await app.Client.SendBytesAsync(HttpMethod.Post, Path, Array.Empty<byte>(), HttpExtensions.Json);

        ProblemAssert.Problem(reply, 400, "$", BindingMessages.BodyRequired);
    }

    [Fact]
    public async Task Whitespace_only_body_is_400()
    {
        var reply = await app.Client.PostJsonAsync(Path, "   \r\n ");

        var problem = ProblemAssert.Problem(reply, 400, "$");
        Assert.Contains(Assert.Single(ProblemAssert.Messages(problem, "$")), new[] { BindingMessages.BodyRequired, BindingMessages.MalformedJson });
    }

    [Fact]
    public async Task No_body_at_all_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path);
        request.Content = new ByteArrayContent(Array.Empty<byte>());
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = 0;
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(ProblemAssert.ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("[]", BindingMessages.ExpectedObject)]
    [InlineData("[{\"text\":\"a\"}]", BindingMessages.ExpectedObject)]
    [InlineData("null", BindingMessages.NotNull)]
    [InlineData("\"ECHOMARK\"", BindingMessages.ExpectedObject)]
    [InlineData("42", BindingMessages.ExpectedObject)]
    [InlineData("true", BindingMessages.ExpectedObject)]
    public async Task Top_level_value_other_than_an_object_is_400(string body, string message)
    {
        var reply = await app.Client.PostJsonAsync(Path, body);

        ProblemAssert.Problem(reply, 400, "$", message, "ECHOMARK");
    }

    [Fact]
    public async Task Control_characters_escaped_in_strings_are_accepted_and_written_back_escaped()
    {
        var reply = await app.Client.PostJsonAsync(Path, Bodies.Scalars("text", "\"\\u0000<\\u001f>&'\""));

        Assert.True(reply.Status == 200, reply.ToString());
        Assert.Equal("\0<\u001f>&'", reply.Json().GetProperty("text").GetString());
        Assert.DoesNotContain("<", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", reply.Text, StringComparison.Ordinal);
    }

    private static byte[] Splice(string before, byte[] middle, string after) =>
        Encoding.UTF8.GetBytes(before).Concat(middle).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
}
