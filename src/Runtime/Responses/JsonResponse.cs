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

    [ThreadStatic]
    private static ResponseBuffer? t_buffer;

    /// <summary>
    /// Starts a JSON response with <paramref name="status"/>. The body is written into a pooled
    /// per-thread buffer and reaches the response only in <see cref="EndAsync"/>, so a writer that
    /// throws half-way leaves nothing behind and the error handler can still answer cleanly.
    /// Begin and End must run on one thread with no await between them (generated code does).
    /// </summary>
    public static Utf8JsonWriter Begin(HttpContext context, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        ResponseBuffer buffer = t_buffer ??= new ResponseBuffer();
        buffer.Reset();
        return RentWriter(buffer);
    }

    /// <summary>Completes a response started by <see cref="Begin"/>: copies the body and flushes.</summary>
    public static Task EndAsync(HttpContext context, Utf8JsonWriter writer)
    {
        ReturnWriter(writer);
        ResponseBuffer buffer = t_buffer!;
        var response = context.Response;
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        buffer.Reset();
        var flush = response.BodyWriter.FlushAsync(context.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    // A growable pooled buffer; oversized arrays are given back rather than kept per thread.
    private sealed class ResponseBuffer : IBufferWriter<byte>
    {
        private const int InitialSize = 4096;
        private const int KeepAtMost = 256 * 1024;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        private int _written;

        public int WrittenCount => _written;

        public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

        public void Reset()
        {
            _written = 0;
            if (_buffer.Length > KeepAtMost)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
            }
        }

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _buffer.AsSpan(_written);
        }

        private void Ensure(int sizeHint)
        {
            int needed = Math.Max(sizeHint, 1);
            if (_buffer.Length - _written >= needed)
            {
                return;
            }

            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
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
