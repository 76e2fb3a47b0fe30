using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rampart.Errors;

/// <summary>
/// Last-resort error handling: an unhandled exception becomes a 500 problem with only a trace id
/// (the exception is logged, never returned), a database failure a 503, and any error status that has no body yet
/// (404, 405 from routing, …) gets a problem-details body.
/// </summary>
internal sealed partial class ProblemDetailsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ProblemDetailsMiddleware> _logger;

    public ProblemDetailsMiddleware(RequestDelegate next, ILogger<ProblemDetailsMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && Rampart.Data.DatabaseFailure.Find(ex) is { } db)
        {
            // A database failure is the service being unavailable, not a bug: 503, and the exception is
            // logged once with connection-string secrets redacted (nothing of it reaches the body).
            Rampart.Data.DatabaseFailure.Log(_logger, db, context.Request.Method, context.GetEndpoint()?.DisplayName ?? "(no endpoint)");
            if (context.Response.HasStarted)
            {
                throw;
            }

            context.Response.Clear();
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(_logger, ex, context.Request.Method, context.GetEndpoint()?.DisplayName ?? "(no endpoint)");
            if (context.Response.HasStarted)
            {
                throw;
            }

            context.Response.Clear();
            await Problem.WriteAsync(context, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await Problem.WriteAsync(context, response.StatusCode).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled exception while processing {Method} {Endpoint}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string endpoint);
}
