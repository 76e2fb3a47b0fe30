using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Rampart.Errors;

namespace Rampart.Https;

/// <summary>
/// Refuses plain-HTTP requests with a 400 problem instead of redirecting: an API client that sent
/// a token over HTTP has already leaked it, and a redirect would teach it to keep doing so.
/// Behind a TLS-terminating proxy, configure ASP.NET Core's ForwardedHeaders with the proxy's
/// address so that <see cref="HttpRequest.IsHttps"/> reflects the client's connection.
/// </summary>
internal sealed class HttpsOnlyMiddleware
{
    private readonly RequestDelegate _next;

    public HttpsOnlyMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            return _next(context);
        }

        return Problem.WriteAsync(context, StatusCodes.Status400BadRequest, "This API is served over HTTPS only.");
    }
}
