using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rampart.Responses;

namespace Rampart.Logging;

/// <summary>Writes a contract's bound parameters as JSON, redacting classified members.</summary>
public delegate void LogParametersWriter<T>(Utf8JsonWriter writer, T value, RequestRedaction redaction);

/// <summary>
/// One structured entry per request of a generated endpoint, under the category <see cref="Category"/>:
/// timestamp (UTC), method, route template, path, status, duration_ms, user_id, client_ip, trace_id
/// and the bound parameters (classified and secret-looking members redacted at compile time).
/// Nothing is computed when the level is disabled; every text value is escaped so that CR, LF and
/// other control characters cannot forge log lines.
/// </summary>
public sealed class RequestLog
{
    /// <summary>The logger category of request logs.</summary>
    public const string Category = "Rampart.Requests";

    /// <summary>The event id of a request log entry.</summary>
    public static readonly EventId Completed = new(4000, "RequestCompleted");

    private static readonly Func<State, Exception?, string> Formatter = static (state, _) => state.ToString();
    private readonly ILogger _logger;
    private readonly string _method;
    private readonly string _route;
    private readonly bool _logPath;

    /// <summary>Creates the log of one endpoint.</summary>
    public RequestLog(ILogger logger, RequestRedaction redaction, string method, string route, bool logPath)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Redaction = redaction ?? throw new ArgumentNullException(nameof(redaction));
        _method = method;
        _route = route;
        _logPath = logPath;
    }

    /// <summary>The redactors.</summary>
    public RequestRedaction Redaction { get; }

    /// <summary>True when entries are written; check before doing any work for one.</summary>
    public bool IsEnabled => _logger.IsEnabled(LogLevel.Information);

    /// <summary>The bound parameters as redacted JSON.</summary>
    public string Parameters<T>(T value, LogParametersWriter<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        // A per-thread buffer and writer: only the resulting string is allocated.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        write(writer, value, Redaction);
        writer.Flush();
        string json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            t_buffer = null; // do not keep a large buffer alive per thread
            t_writer = null;
        }

        return json;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes the entry for a finished request. The formatted message is short (method, route,
    /// status, duration); the other fields are structured values computed only when a provider reads
    /// them, so a text-only provider does not pay for the parameters' JSON.
    /// </summary>
    public void Write(HttpContext context, long startTimestamp, int status, IRequestParameters? parameters)
    {
        if (!IsEnabled)
        {
            return;
        }

        var state = new State(this, context, DateTimeOffset.UtcNow, status, Math.Round(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, 3), parameters);
        _logger.Log(LogLevel.Information, Completed, state, null, Formatter);
    }

    /// <summary>Writes the entry for a finished request with already formatted parameters.</summary>
    public void Write(HttpContext context, long startTimestamp, int status, string? parameters) =>
        Write(context, startTimestamp, status, parameters is null ? null : new FormattedParameters(parameters));

    /// <summary>The bound request, serialised for the log only if a provider asks.</summary>
    public IRequestParameters Capture<T>(T value, LogParametersWriter<T> write) => new RequestParameters<T>(this, value, write);

    /// <summary>Escapes control characters (CR, LF, …) so a value can never start a new log line.</summary>
    public static string? Escape(string? value)
    {
        if (value is null || value.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 && value.IndexOf('\u007f') < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (char c in value)
        {
            if (c < ' ' || c == '\u007f')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private readonly struct State(RequestLog log, HttpContext context, DateTimeOffset timestamp, int status, double durationMs, IRequestParameters? parameters)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 11;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("timestamp", timestamp),
            1 => new("method", log._method),
            2 => new("route", log._route),
            3 => new("path", log._logPath ? Escape(context.Request.Path.Value) : "(contains sensitive route values)"),
            4 => new("status", status),
            5 => new("duration_ms", durationMs),
            6 => new("user_id", Escape(new Caller(context.User).Id)),
            7 => new("client_ip", context.Connection.RemoteIpAddress?.ToString()),
            8 => new("trace_id", Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier),
            9 => new("parameters", parameters?.ToJson()),
            10 => new("{OriginalFormat}", "{method} {route} responded {status} in {duration_ms} ms"),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{log._method} {log._route} responded {status} in {durationMs} ms");
    }

    private sealed class FormattedParameters(string json) : IRequestParameters
    {
        public string ToJson() => json;
    }

    private sealed class RequestParameters<T>(RequestLog log, T value, LogParametersWriter<T> write) : IRequestParameters
    {
        private string? _json;

        public string ToJson() => _json ??= log.Parameters(value, write);
    }
}

/// <summary>A request's bound parameters, serialised (redacted) on demand.</summary>
public interface IRequestParameters
{
    /// <summary>The parameters as redacted JSON.</summary>
    string ToJson();
}
