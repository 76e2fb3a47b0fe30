using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Tests.Infrastructure;

/// <summary>A response read completely: status, content type, raw body.</summary>
public sealed record Reply(int Status, string? MediaType, string? ContentType, byte[] Bytes, HttpResponseMessage Message)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(Bytes);
        return doc.RootElement.Clone();
    }

    public override string ToString() => $"{Status} {ContentType}: {Text}";
}

public static class HttpExtensions
{
    public const string Json = "application/json";

    public static Task<Reply> PostJsonAsync(this HttpClient client, string path, string body, string? contentType = Json) =>
        client.SendBytesAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body), contentType);

    public static Task<Reply> PutJsonAsync(this HttpClient client, string path, string body, string? contentType = Json) =>
        client.SendBytesAsync(HttpMethod.Put, path, Encoding.UTF8.GetBytes(body), contentType);

    public static Task<Reply> GetReplyAsync(this HttpClient client, string path) => client.SendBytesAsync(HttpMethod.Get, path, null, null);

    public static async Task<Reply> SendBytesAsync(this HttpClient client, HttpMethod method, string path, byte[]? body, string? contentType, bool chunked = false, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            HttpContent content = chunked ? new UnknownLengthContent(body) : new ByteArrayContent(body);
            if (contentType is not null)
            {
                // Set verbatim: MediaTypeHeaderValue would normalise or reject the unusual values under test.
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            request.Content = content;
        }

        using var response = await client.SendAsync(request, cancellationToken);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.ToString(), bytes, response);
    }

    /// <summary>Content whose length is unknown up front (sent without Content-Length), written in small pieces.</summary>
    public sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < bytes.Length; offset += 512)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(512, bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

/// <summary>Assertions on RFC 9457 problem responses.</summary>
public static class ProblemAssert
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Asserts a problem response with <paramref name="status"/>; when <paramref name="key"/> is given, the
    /// errors map must consist of exactly that key (with <paramref name="message"/> among its messages when given).
    /// The body must contain none of <paramref name="notEchoed"/>.
    /// </summary>
    public static JsonElement Problem(Reply reply, int status, string? key = null, string? message = null, params string[] notEchoed)
    {
        Assert.True(reply.Status == status, $"expected {status}, got {reply}");
        Assert.Equal(ProblemJson, reply.MediaType);
        var json = reply.Json();
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal(Rampart.Errors.Problem.TypeFor(status), json.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("title").GetString()));
        Assert.True(json.TryGetProperty("traceId", out _), "problem has no traceId: " + reply.Text);
        Assert.Equal("no-store", reply.Message.Headers.CacheControl?.ToString());
        if (key is not null)
        {
            var errors = json.GetProperty("errors");
            var keys = errors.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.True(keys.Length == 1 && keys[0] == key, $"expected the errors map to hold exactly '{key}', got [{string.Join(", ", keys)}] in {reply.Text}");
            if (message is not null)
            {
                var messages = errors.GetProperty(key).EnumerateArray().Select(m => m.GetString()).ToArray();
                Assert.Contains(message, messages);
            }
        }

        // The trace id is random hex: leave it out so short markers cannot match it by chance.
        string text = System.Text.RegularExpressions.Regex.Replace(reply.Text, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");
        foreach (string secret in notEchoed)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the response echoes '{secret}': {reply.Text}");
        }

        return json;
    }

    /// <summary>The keys of the errors map, in order.</summary>
    public static string[] ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToArray() : Array.Empty<string>();

    /// <summary>The messages for <paramref name="key"/>.</summary>
    public static string[] Messages(JsonElement problem, string key) =>
        problem.GetProperty("errors").GetProperty(key).EnumerateArray().Select(m => m.GetString()!).ToArray();
}
