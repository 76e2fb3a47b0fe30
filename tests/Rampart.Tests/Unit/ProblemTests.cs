using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rampart.Binding;
using Rampart.Errors;
using Rampart.Validation;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class ProblemTests
{
    [Theory]
    [InlineData(400, "https://tools.ietf.org/html/rfc9110#section-15.5.1")]
    [InlineData(401, "https://tools.ietf.org/html/rfc9110#section-15.5.2")]
    [InlineData(403, "https://tools.ietf.org/html/rfc9110#section-15.5.4")]
    [InlineData(404, "https://tools.ietf.org/html/rfc9110#section-15.5.5")]
    [InlineData(405, "https://tools.ietf.org/html/rfc9110#section-15.5.6")]
    [InlineData(409, "https://tools.ietf.org/html/rfc9110#section-15.5.10")]
    [InlineData(413, "https://tools.ietf.org/html/rfc9110#section-15.5.14")]
    [InlineData(415, "https://tools.ietf.org/html/rfc9110#section-15.5.16")]
    [InlineData(422, "https://tools.ietf.org/html/rfc9110#section-15.5.21")]
    [InlineData(429, "https://tools.ietf.org/html/rfc6585#section-4")]
    [InlineData(500, "https://tools.ietf.org/html/rfc9110#section-15.6.1")]
    [InlineData(503, "https://tools.ietf.org/html/rfc9110#section-15.6.4")]
    [InlineData(418, "about:blank")]
    [InlineData(200, "about:blank")]
    public void Type_uris_point_at_the_defining_rfc_section(int status, string type) => Assert.Equal(type, Problem.TypeFor(status));

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        context.TraceIdentifier = "trace-1";
        return context;
    }

    private static JsonElement Body(HttpContext context)
    {
        var feature = context.Features.Get<IHttpResponseBodyFeature>()!;
        var stream = (MemoryStream)feature.Stream;
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    [Fact]
    public async Task Binding_error_400_carries_an_errors_map_keyed_by_path()
    {
        var context = NewContext();

        await Problem.WriteBindingErrorAsync(context, BindingError.Invalid("bad").Under("a").Under(1).Under("items"));

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal(Problem.ContentType, context.Response.ContentType);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        var json = Body(context);
        Assert.Equal("Bad Request", json.GetProperty("title").GetString());
        Assert.Equal("bad", json.GetProperty("errors").GetProperty("items[1].a")[0].GetString());
        Assert.Equal("trace-1", json.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Binding_error_for_the_whole_body_is_keyed_dollar()
    {
        var context = NewContext();

        await Problem.WriteBindingErrorAsync(context, BindingError.Invalid(BindingMessages.MalformedJson));

        Assert.Equal(BindingMessages.MalformedJson, Body(context).GetProperty("errors").GetProperty("$")[0].GetString());
    }

    [Theory]
    [InlineData(413, BindingMessages.BodyTooLarge)]
    [InlineData(415, BindingMessages.UnsupportedMediaType)]
    public async Task Non_400_binding_errors_have_a_detail_and_no_errors_map(int status, string message)
    {
        var context = NewContext();

        await Problem.WriteBindingErrorAsync(context, new BindingError(status, string.Empty, message));

        var json = Body(context);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal(Problem.TypeFor(status), json.GetProperty("type").GetString());
        Assert.Equal(message, json.GetProperty("detail").GetString());
        Assert.False(json.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Validation_errors_keep_every_message()
    {
        var context = NewContext();
        var errors = new ValidationErrors();
        errors.Add("a", "m1");
        errors.Add("a", "m2");
        errors.Add("b[0]", "m3");

        await Problem.WriteValidationErrorsAsync(context, errors);

        var json = Body(context);
        Assert.Equal("One or more validation errors occurred.", json.GetProperty("detail").GetString());
        Assert.Equal(2, json.GetProperty("errors").GetProperty("a").GetArrayLength());
        Assert.Equal("m3", json.GetProperty("errors").GetProperty("b[0]")[0].GetString());
    }

    [Fact]
    public async Task Handler_problem_details_are_written_without_extensions()
    {
        var context = NewContext();
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 409, Title = "Taken", Detail = "d", Instance = "/x" };
        details.Extensions["internal"] = "stack trace";

        await Problem.WriteAsync(context, details);

        var json = Body(context);
        Assert.Equal(409, context.Response.StatusCode);
        Assert.Equal("Taken", json.GetProperty("title").GetString());
        Assert.Equal(Problem.TypeFor(409), json.GetProperty("type").GetString());
        Assert.Equal("/x", json.GetProperty("instance").GetString());
        Assert.False(json.TryGetProperty("internal", out _));
    }

    [Fact]
    public async Task Handler_problem_without_status_is_a_500_with_its_type()
    {
        var context = NewContext();

        await Problem.WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails { Detail = "d" });

        var json = Body(context);
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal(Problem.TypeFor(500), json.GetProperty("type").GetString());
        Assert.Equal("Internal Server Error", json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Handler_problem_with_an_unknown_status_and_no_title_gets_the_same_fallback_title()
    {
        var plain = NewContext();
        var handler = NewContext();

        Assert.Equal(string.Empty, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(599));
        await Problem.WriteAsync(plain, 599);
        await Problem.WriteAsync(handler, new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 599 });

        string expected = Body(plain).GetProperty("title").GetString()!;
        Assert.False(string.IsNullOrEmpty(expected));
        Assert.Equal(expected, Body(handler).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Unknown_status_gets_a_fallback_title()
    {
        var context = NewContext();

        await Problem.WriteAsync(context, 599);

        var json = Body(context);
        Assert.Equal("about:blank", json.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
    }
}
