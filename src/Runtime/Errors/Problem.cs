using System;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Rampart.Binding;
using Rampart.Responses;
using Rampart.Validation;

namespace Rampart.Errors;

/// <summary>
/// Writes RFC 9457 <c>application/problem+json</c> responses with Utf8JsonWriter (no reflection,
/// AOT-safe). Bodies carry a status, a standard title, an optional fixed detail, the trace id and,
/// for validation failures, an <c>errors</c> map keyed by JSON path — never the request's values.
/// </summary>
public static class Problem
{
    /// <summary>The media type of problem details.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Writes a problem response with the standard title of <paramref name="status"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string? detail = null, ValidationErrors? errors = null) =>
        WriteAsync<object?>(context, status, detail, errors, type: null, extensions: null, state: null);

    /// <summary>
    /// Writes a problem response with a specific <paramref name="type"/> and extension members written by
    /// <paramref name="extensions"/> (which must write property/value pairs only).
    /// </summary>
    public static Task WriteAsync<TState>(HttpContext context, int status, string? detail, ValidationErrors? errors, string? type, Action<Utf8JsonWriter, TState>? extensions, TState state) =>
        WriteCore(context, status, type ?? TypeFor(status), TitleFor(status), detail, instance: null, errors, extensions, state);

    /// <summary>
    /// Writes a handler's <see cref="Microsoft.AspNetCore.Mvc.ProblemDetails"/>: status, type, title,
    /// detail and instance (extensions are not copied, so nothing internal leaks through them).
    /// </summary>
    public static Task WriteAsync(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        int status = problem.Status ?? StatusCodes.Status500InternalServerError;
        return WriteCore<object?>(context, status, problem.Type ?? TypeFor(status), problem.Title ?? TitleFor(status), problem.Detail, problem.Instance, errors: null, extensions: null, state: null);
    }

    private static Task WriteCore<TState>(HttpContext context, int status, string type, string title, string? detail, string? instance, ValidationErrors? errors, Action<Utf8JsonWriter, TState>? extensions, TState state)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        response.ContentType = ContentType;
        // Problem bodies describe this request only; never cache them.
        response.Headers.CacheControl = "no-store";

        Utf8JsonWriter writer = JsonResponse.RentWriter(response.BodyWriter);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            writer.WriteString("title"u8, title);
            writer.WriteNumber("status"u8, status);
            if (detail is not null)
            {
                writer.WriteString("detail"u8, detail);
            }

            if (instance is not null)
            {
                writer.WriteString("instance"u8, instance);
            }

            if (errors is not null && errors.Count > 0)
            {
                writer.WriteStartObject("errors"u8);
                foreach (var entry in errors.Entries)
                {
                    writer.WriteStartArray(entry.Key);
                    foreach (string message in entry.Value)
                    {
                        writer.WriteStringValue(message);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            extensions?.Invoke(writer, state);
            writer.WriteString("traceId"u8, Activity.Current?.Id ?? context.TraceIdentifier);
            writer.WriteEndObject();
        }
        finally
        {
            JsonResponse.ReturnWriter(writer);
        }

        return response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    /// <summary>Writes the response for a binding failure (400, 413 or 415).</summary>
    public static Task WriteBindingErrorAsync(HttpContext context, in BindingError error)
    {
        if (error.Status != StatusCodes.Status400BadRequest)
        {
            return WriteAsync(context, error.Status, error.Message);
        }

        var errors = new ValidationErrors();
        errors.Add(error.Path.Length == 0 ? "$" : error.Path, error.Message);
        return WriteAsync(context, error.Status, "The request could not be read.", errors);
    }

    /// <summary>Writes a 400 response listing validation failures.</summary>
    public static Task WriteValidationErrorsAsync(HttpContext context, ValidationErrors errors) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "One or more validation errors occurred.", errors);

    private static string TitleFor(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } title ? title : "Error";

    /// <summary>The RFC 9110 section that defines <paramref name="status"/>, as the problem type.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
