using System;
using System.Collections.Generic;
using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Logging;
using Rampart.Benchmarks.Models;
using Rampart.Logging;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// The generated request log (10 fields, the bound parameters redacted) against an equivalent
/// <c>[LoggerMessage]</c> call with 6 arguments plus the redactor, through a provider that formats
/// each entry and discards it; and both with the level disabled.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public partial class RequestLogBenchmarks
{
    private RequestLog _enabledLog = null!;
    private RequestLog _disabledLog = null!;
    private ILogger _enabled = null!;
    private ILogger _disabled = null!;
    private ILogger _structured = null!;
    private RequestLog _structuredLog = null!;
    private Redactor _redactor = null!;
    private HttpContext _context = null!;
    private FastEndpointsRequest _request = null!;
    private long _started;

    [GlobalSetup]
    public void Setup()
    {
        var redaction = new RequestRedaction(provider: null);
        _redactor = redaction.Sensitive;
        _enabled = new FormattingLogger(LogLevel.Information);
        _disabled = new FormattingLogger(LogLevel.Warning);
        _enabledLog = new RequestLog(_enabled, redaction, "POST", "/benchmark/ok", logPath: true);
        _disabledLog = new RequestLog(_disabled, redaction, "POST", "/benchmark/ok", logPath: true);
        _structured = new StructuredLogger();
        _structuredLog = new RequestLog(_structured, redaction, "POST", "/benchmark/ok", logPath: true);
        _context = new DefaultHttpContext();
        _context.Request.Method = "POST";
        _context.Request.Path = "/benchmark/ok";
        _context.User = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("sub", "user-42") }, "Bearer"));
        _context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("198.51.100.7");
        _request = new FastEndpointsRequest { FirstName = "John", LastName = "Doe", Age = 45, PhoneNumbers = new[] { "0123456789", "9876543210" } };
        _started = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    [Benchmark(Baseline = true)]
    public void Rampart_Enabled() => Generated(_enabledLog);

    [Benchmark]
    public void LoggerMessagePlusRedactor_Enabled() => Hand(_enabled);

    [Benchmark]
    public void Rampart_Enabled_StructuredProvider() => Generated(_structuredLog);

    [Benchmark]
    public void LoggerMessagePlusRedactor_Enabled_StructuredProvider() => Hand(_structured);

    [Benchmark]
    public void Rampart_Disabled() => Generated(_disabledLog);

    [Benchmark]
    public void LoggerMessagePlusRedactor_Disabled() => Hand(_disabled);

    // What a generated endpoint does: nothing unless enabled, then the redacted parameters and the entry.
    private void Generated(RequestLog log)
    {
        if (log.IsEnabled)
        {
            var parameters = log.Capture(_request, FastEndpointsRequest.RampartEndpoint.WriteLog_Rampart_Benchmarks_Models_FastEndpointsRequest);
            log.Write(_context, _started, 201, parameters);
        }
    }

    private void Hand(ILogger logger)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            RequestCompleted(logger, "POST", "/benchmark/ok", 201, 0.25, "user-42", _redactor.Redact(_request.LastName));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Route} responded {Status} in {DurationMs} ms for {UserId} ({Secret})")]
    private static partial void RequestCompleted(ILogger logger, string method, string route, int status, double durationMs, string userId, string secret);

    /// <summary>Reads every structured value (as OpenTelemetry or a JSON console does) and discards them.</summary>
    private sealed class StructuredLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
            {
                for (int i = 0; i < pairs.Count; i++)
                {
                    GC.KeepAlive(pairs[i].Value);
                }
            }
        }
    }

    /// <summary>Formats every entry (as a real provider must) and discards it.</summary>
    private sealed class FormattingLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                GC.KeepAlive(formatter(state, exception));
            }
        }
    }
}
