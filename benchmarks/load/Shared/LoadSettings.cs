using System;
using System.Text;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Rampart.Load;

/// <summary>
/// Settings every load app shares, so the three implementations of the secured scenario accept the
/// same tokens and apply the same limits. The HS256 secret is a benchmark fixture, used nowhere else.
/// </summary>
public static class LoadSettings
{
    public const string Issuer = "https://load.rampart.invalid";
    public const string Audience = "load-api";
    public const string KeyId = "load-hs256";
    public const string Permission = "orders:write";

    /// <summary>Per-client requests per second: far above what wrk can send on two cores, so it never triggers.</summary>
    public const int RateLimitPerSecond = 1_000_000;

    /// <summary>The logger category of the peers' request log (Rampart's is <c>Rampart.Requests</c>).</summary>
    public const string RequestLogCategory = "Load.Requests";

    /// <summary>The redaction marker the peers write for sensitive values (Rampart's default marker redactor does the same).</summary>
    public const string RedactedMarker = "[REDACTED]";

    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("rampart-load-benchmark-hs256-secret-not-for-production");

    /// <summary>The scenario from the command line: <c>--scenario fe|orders|bare</c> (default fe).</summary>
    public static string Scenario(string[] args) => Option(args, "--scenario") ?? "fe";

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>
    /// Prints, when the app stops, how many characters the discarding provider formatted: run.sh keeps
    /// this line in the app's log as evidence that the request log really ran.
    /// </summary>
    public static void ReportOnStop(Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.Register(static () => Console.Error.WriteLine($"request log: {DiscardingLoggerProvider.Characters} characters formatted and discarded"));

    /// <summary>
    /// Logging of the secured scenario: only the request-log categories at Information, everything else
    /// at Warning, into a provider that formats every entry and throws the text away.
    /// </summary>
    public static void ConfigureLogging(ILoggingBuilder logging, bool requestLog)
    {
        logging.ClearProviders();
        if (!requestLog)
        {
            return;
        }

        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Rampart.Requests", LogLevel.Information);
        logging.AddFilter(RequestLogCategory, LogLevel.Information);
        logging.AddProvider(new DiscardingLoggerProvider());
    }
}

/// <summary>A logger provider that formats every entry (message and exception) and discards the text.</summary>
public sealed class DiscardingLoggerProvider : ILoggerProvider
{
    private static long s_characters;

    /// <summary>Characters formatted so far (read so the formatting cannot be optimised away).</summary>
    public static long Characters => Interlocked.Read(ref s_characters);

    public ILogger CreateLogger(string categoryName) => new Logger();

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string text = formatter(state, exception);
            Interlocked.Add(ref s_characters, text.Length + (exception?.ToString().Length ?? 0));
        }
    }
}
