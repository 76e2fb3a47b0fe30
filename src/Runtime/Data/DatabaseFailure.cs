using System;
using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Rampart.Data;

/// <summary>
/// A database failure seen by the request pipeline: the caller gets 503 problem details with nothing
/// from the exception, and the exception is logged here, once, with connection-string secrets redacted.
/// </summary>
public static partial class DatabaseFailure
{
    /// <summary>Event id of the log entry.</summary>
    public const int EventId = 6001;

    /// <summary>The database exception in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static DbException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db)
            {
                return db;
            }
        }

        return null;
    }

    /// <summary>Logs <paramref name="exception"/> (type, SQL state, redacted messages and stack traces).</summary>
    public static void Log(ILogger logger, DbException exception, string method, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(exception);
        var details = new StringBuilder();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            details.Append(e.GetType().FullName).Append(": ").AppendLine(Redact(e.Message));
            details.AppendLine(e.StackTrace);
        }

        LogFailure(logger, method, endpoint, exception.GetType().Name, exception.SqlState ?? "-", details.ToString());
    }

    /// <summary>
    /// Replaces the values of password-like connection-string keys (<c>Password=…</c>, <c>Pwd=…</c>, …) with
    /// <c>***</c>, wherever they appear in <paramref name="text"/>.
    /// </summary>
    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : SecretPattern().Replace(text, "$1=***");

    [GeneratedRegex(@"(?i)\b(password|pwd|passfile|sslpassword|ssl password|api[ _-]?key|access[ _-]?token)\s*=\s*(""[^""]*""|'[^']*'|[^;\s]*)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    // The exception object is not passed to the logger: its message could carry a connection string.
    [LoggerMessage(EventId = EventId, Level = LogLevel.Error, Message = "Database failure while processing {Method} {Endpoint}: {ExceptionType} (SQL state {SqlState})\n{Details}")]
    private static partial void LogFailure(ILogger logger, string method, string endpoint, string exceptionType, string sqlState, string details);
}
