using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Orders.AuthServer.Endpoints;

/// <summary>The security headers on every response of the authorization server, pages and OAuth endpoints alike.</summary>
internal static class SecurityHeaders
{
    private static readonly object FormActionKey = new();

    /// <summary>Adds the headers just before each response starts.</summary>
    public static IApplicationBuilder UseAuthServerSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            string formAction = context.Items[FormActionKey] is string origin ? $"'self' {origin}" : "'self'";
            // No script, style, image or frame from anywhere; forms only to this server (and, on the consent
            // page, to the client's validated redirect origin); never framed (clickjacking on consent).
            headers.ContentSecurityPolicy = $"default-src 'none'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>Widens CSP <c>form-action</c> to one more origin for this response.</summary>
    public static void SetFormAction(HttpContext context, string? origin)
    {
        if (origin is not null)
        {
            context.Items[FormActionKey] = origin;
        }
    }
}
