using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Rampart.Responses;

/// <summary>
/// Response-side helpers for generated endpoints: a per-thread reusable <see cref="Utf8JsonWriter"/>
/// (writing is synchronous into the response pipe, so a writer never crosses an await) and the
/// JSON response envelope.
/// </summary>
public static class JsonResponse
{
    /// <summary>The content type of JSON responses.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    // The default encoder escapes HTML-sensitive characters (<, >, &, ') so a JSON body can never
    // be sniffed into markup.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = false };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Gets a writer over <paramref name="output"/>; give it back with <see cref="ReturnWriter"/>.</summary>
    public static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
        {
            return new Utf8JsonWriter(output, WriterOptions);
        }

        t_writer = null;
        writer.Reset(output);
        return writer;
    }

    /// <summary>Flushes <paramref name="writer"/> into its output and keeps it for reuse.</summary>
    public static void ReturnWriter(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(NullBufferWriter.Instance);
        t_writer = writer;
    }

    /// <summary>Starts a JSON response with <paramref name="status"/>.</summary>
    public static Utf8JsonWriter Begin(HttpContext context, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        return RentWriter(response.BodyWriter);
    }

    /// <summary>Completes a response started by <see cref="Begin"/>.</summary>
    public static Task EndAsync(HttpContext context, Utf8JsonWriter writer)
    {
        ReturnWriter(writer);
        var flush = context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    /// <summary>Writes a response with no body.</summary>
    public static Task EmptyAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.Empty<byte>();

        public Span<byte> GetSpan(int sizeHint = 0) => Span<byte>.Empty;
    }
}
