using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Rampart.Binding;

/// <summary>Reads a generated contract from a JSON object positioned on its first token.</summary>
public delegate bool JsonObjectReader<T>(ref Utf8JsonReader reader, JsonLimits limits, out T value, out BindingError error);

/// <summary>Reads a generated contract whose route and query values (<paramref name="state"/>) were bound first.</summary>
public delegate bool JsonObjectReader<TState, T>(ref Utf8JsonReader reader, JsonLimits limits, in TState state, out T value, out BindingError error);

/// <summary>
/// The request-body side of generated binding: media type (415) and size (413) checks, reading the
/// body into one pooled buffer, and running a generated reader over it with malformed JSON mapped to 400.
/// </summary>
public static class JsonBody
{
    /// <summary>Reads the request body of <paramref name="context"/> into a pooled buffer.</summary>
    public static async ValueTask<JsonBodyBuffer> ReadAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (!IsJsonMediaType(request.ContentType))
        {
            return new JsonBodyBuffer(new BindingError(StatusCodes.Status415UnsupportedMediaType, string.Empty, BindingMessages.UnsupportedMediaType));
        }

        if (request.ContentLength > maxBytes)
        {
            return TooLarge();
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IRequestBodyPipeFeature>() is null)
        {
            // A server without a native body pipe (the TestServer, some hosts): HttpRequest.BodyReader would
            // wrap the body stream in a new pipe reader and register it as a feature; read the stream directly.
            return await ReadStreamAsync(context, request.Body, maxBytes).ConfigureAwait(false);
        }

        PipeReader reader = request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex)
            {
                // The server's own limits (body size, data rate) fired first.
                return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge()
                    : new JsonBodyBuffer(BindingError.Invalid(BindingMessages.MalformedJson));
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return TooLarge();
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                if (buffer.IsEmpty)
                {
                    reader.AdvanceTo(buffer.End);
                    return new JsonBodyBuffer(BindingError.Invalid(BindingMessages.BodyRequired));
                }

                int length = (int)buffer.Length;
                byte[] rented = ArrayPool<byte>.Shared.Rent(length);
                buffer.CopyTo(rented);
                reader.AdvanceTo(buffer.End);
                return new JsonBodyBuffer(rented, length);
            }

            // Nothing consumed, everything examined: wait for more data.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    // The same outcomes as the pipe path: 413 as soon as more than maxBytes arrived, 400 for an empty body.
    private static async ValueTask<JsonBodyBuffer> ReadStreamAsync(HttpContext context, System.IO.Stream body, long maxBytes)
    {
        long limit = Math.Min(maxBytes, Array.MaxLength - 1L);
        // A declared length (already checked against the maximum) plus one byte, so that the end is seen without
        // growing; but never more than 16 KiB before the bytes arrive: a declared length alone reserves no memory.
        long initial = context.Request.ContentLength is long length ? length + 1 : 4096;
        byte[]? rented = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(initial, 1, Math.Min(limit + 1, 16 * 1024)));
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == rented.Length)
                {
                    if (filled > limit)
                    {
                        return TooLarge();
                    }

                    byte[] grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(rented.Length * 2L, limit + 1));
                    rented.AsSpan(0, filled).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = grown;
                }

                int read;
                try
                {
                    read = await body.ReadAsync(rented.AsMemory(filled), context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex)
                {
                    return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? TooLarge()
                        : new JsonBodyBuffer(BindingError.Invalid(BindingMessages.MalformedJson));
                }

                if (read == 0)
                {
                    break;
                }

                filled += read;
                if (filled > limit)
                {
                    return TooLarge();
                }
            }

            if (filled == 0)
            {
                return new JsonBodyBuffer(BindingError.Invalid(BindingMessages.BodyRequired));
            }

            var buffer = new JsonBodyBuffer(rented, filled);
            rented = null;
            return buffer;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> over <paramref name="utf8"/> as one complete JSON document:
    /// malformed JSON, invalid UTF-8, excess depth and trailing data become 400 errors.
    /// </summary>
    public static bool TryRead<T>(ReadOnlySpan<byte> utf8, JsonLimits limits, JsonObjectReader<T> read, out T value, out BindingError error)
    {
        ArgumentNullException.ThrowIfNull(read);
        return TryRead(utf8, limits, read, static (ref Utf8JsonReader reader, JsonLimits limits, in JsonObjectReader<T> read, out T value, out BindingError error) => read(ref reader, limits, out value, out error), out value, out error);
    }

    /// <summary>As <see cref="TryRead{T}(ReadOnlySpan{byte}, JsonLimits, JsonObjectReader{T}, out T, out BindingError)"/>, passing <paramref name="state"/> to the reader.</summary>
    public static bool TryRead<TState, T>(ReadOnlySpan<byte> utf8, JsonLimits limits, in TState state, JsonObjectReader<TState, T> read, out T value, out BindingError error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(read);
        value = default!;
        if (utf8.IndexOfAnyExcept(JsonWhitespace) < 0)
        {
            error = BindingError.Invalid(BindingMessages.BodyRequired);
            return false;
        }

        var reader = new Utf8JsonReader(utf8, limits.ReaderOptions);
        try
        {
            reader.Read();
            if (!read(ref reader, limits, in state, out value, out error))
            {
                return false;
            }

            // After the object only whitespace may follow: a second value, or garbage, is refused.
            if (utf8[(int)reader.BytesConsumed..].IndexOfAnyExcept(JsonWhitespace) >= 0)
            {
                value = default!;
                error = BindingError.Invalid(BindingMessages.TrailingData);
                return false;
            }

            return true;
        }
        catch (JsonException)
        {
            value = default!;
            error = BindingError.Invalid(FailedOnDepth(utf8, reader.BytesConsumed) ? BindingMessages.TooDeep : BindingMessages.MalformedJson);
            return false;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string surfaces when the string is decoded.
            value = default!;
            error = BindingError.Invalid(BindingMessages.MalformedJson);
            return false;
        }
    }

    private static ReadOnlySpan<byte> JsonWhitespace => " \t\r\n"u8;

    // Failure path only: re-read the document without the depth limit. If that reader gets past
    // the point where the strict one stopped, the strict one stopped because of depth.
    private static bool FailedOnDepth(ReadOnlySpan<byte> utf8, long failedAt)
    {
        var unlimited = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = int.MaxValue / 2 });
        try
        {
            while (unlimited.Read())
            {
                if (unlimited.BytesConsumed > failedAt)
                {
                    return true;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return unlimited.BytesConsumed > failedAt;
        }
    }

    /// <summary>True for <c>application/json</c> and <c>application/*+json</c>, with no charset or UTF-8.</summary>
    public static bool IsJsonMediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        ReadOnlySpan<char> value = contentType;
        int semicolon = value.IndexOf(';');
        ReadOnlySpan<char> mediaType = (semicolon < 0 ? value : value[..semicolon]).Trim();
        bool json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json)
        {
            return false;
        }

        // Parameters: only charset is meaningful, and only UTF-8 is accepted.
        ReadOnlySpan<char> parameters = semicolon < 0 ? ReadOnlySpan<char>.Empty : value[(semicolon + 1)..];
        while (!parameters.IsEmpty)
        {
            int next = parameters.IndexOf(';');
            ReadOnlySpan<char> parameter = (next < 0 ? parameters : parameters[..next]).Trim();
            int equals = parameter.IndexOf('=');
            if (equals > 0 && parameter[..equals].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                ReadOnlySpan<char> charset = parameter[(equals + 1)..].Trim().Trim('"');
                if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            parameters = next < 0 ? ReadOnlySpan<char>.Empty : parameters[(next + 1)..];
        }

        return true;
    }

    private static JsonBodyBuffer TooLarge() =>
        new(new BindingError(StatusCodes.Status413PayloadTooLarge, string.Empty, BindingMessages.BodyTooLarge));
}

/// <summary>A request body held in a pooled buffer, or the reason it could not be read.</summary>
public readonly struct JsonBodyBuffer : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;

    internal JsonBodyBuffer(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
        Error = default;
    }

    internal JsonBodyBuffer(BindingError error)
    {
        _buffer = null;
        _length = 0;
        Error = error;
    }

    /// <summary>True when the body was read.</summary>
    public bool IsRead => _buffer is not null;

    /// <summary>Why the body was not read.</summary>
    public BindingError Error { get; }

    /// <summary>The body bytes.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
