using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rampart.Responses;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class JsonResponseTests
{
    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, body);
    }

    [Fact]
    public async Task Begin_and_end_write_a_utf8_json_response()
    {
        var (context, body) = NewContext();

        var writer = JsonResponse.Begin(context, 201);
        writer.WriteStartObject();
        writer.WriteString("html", "<script>&'");
        writer.WriteEndObject();
        await JsonResponse.EndAsync(context, writer);

        Assert.Equal(201, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        string text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal("<script>&'", JsonDocument.Parse(text).RootElement.GetProperty("html").GetString());
        // HTML-sensitive characters are escaped, so a JSON body cannot be sniffed into markup.
        Assert.DoesNotContain("<", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("&", text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("'", text, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_writer_is_reused_on_a_thread_and_detached_from_the_previous_output()
    {
        var (first, firstBody) = NewContext();
        var (second, secondBody) = NewContext();

        var w1 = JsonResponse.RentWriter(first.Response.BodyWriter);
        w1.WriteStartObject();
        w1.WriteEndObject();
        JsonResponse.ReturnWriter(w1);
        var w2 = JsonResponse.RentWriter(second.Response.BodyWriter);
        w2.WriteNumberValue(42);
        JsonResponse.ReturnWriter(w2);
        await second.Response.BodyWriter.FlushAsync();
        await first.Response.BodyWriter.FlushAsync();

        Assert.Same(w1, w2);
        Assert.Equal("{}", Encoding.UTF8.GetString(firstBody.ToArray()));
        Assert.Equal("42", Encoding.UTF8.GetString(secondBody.ToArray()));
        Assert.Equal(0, w2.BytesPending);
        Assert.Equal(0, w2.CurrentDepth);
    }

    [Fact]
    public async Task A_response_abandoned_half_way_leaves_nothing_in_the_body_nor_in_the_next_response()
    {
        var (failed, failedBody) = NewContext();
        var (next, nextBody) = NewContext();

        // A getter throws after a large part was written: Begin without End.
        var abandoned = JsonResponse.Begin(failed, 200);
        abandoned.WriteStartObject();
        abandoned.WriteString("first", new string('x', 50_000));
        await failed.Response.BodyWriter.FlushAsync();

        var writer = JsonResponse.Begin(next, 200);
        writer.WriteNumberValue(1);
        await JsonResponse.EndAsync(next, writer);

        Assert.Equal(0, failedBody.Length);
        Assert.Equal("1", Encoding.UTF8.GetString(nextBody.ToArray()));
    }

    [Fact]
    public async Task A_writer_rented_twice_without_return_is_not_shared()
    {
        var (a, _) = NewContext();
        var (b, _) = NewContext();

        var w1 = JsonResponse.RentWriter(a.Response.BodyWriter);
        var w2 = JsonResponse.RentWriter(b.Response.BodyWriter);

        Assert.NotSame(w1, w2);
        JsonResponse.ReturnWriter(w2);
        JsonResponse.ReturnWriter(w1);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Empty_sets_only_the_status()
    {
        var (context, body) = NewContext();

        await JsonResponse.EmptyAsync(context, 204);

        Assert.Equal(204, context.Response.StatusCode);
        Assert.Null(context.Response.ContentType);
        Assert.Equal(0, body.Length);
    }
}
