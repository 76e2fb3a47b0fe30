using System;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Rampart.Headers;

/// <summary>
/// Writes Rampart's default security headers (the policy of <see cref="RampartSecurityHeaders.CreateDefault"/>)
/// from values built once, when the application has not customised them. The general policy engine
/// (NetEscapades) evaluates every policy per response and allocated ~2.5 KB per request; this writes eight
/// constant values. An application that customises the headers keeps the general engine.
/// </summary>
internal sealed class DefaultSecurityHeadersMiddleware
{
    internal static readonly StringValues NoSniff = "nosniff";
    internal static readonly StringValues Deny = "DENY";
    internal static readonly StringValues ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    internal static readonly StringValues NoReferrer = "no-referrer";
    internal static readonly StringValues SameOrigin = "same-origin";
    internal static readonly StringValues PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";
    internal static readonly StringValues NoStore = "no-store";
    internal static readonly StringValues XssProtectionOff = "0";
    internal static readonly StringValues StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    // One delegate for every request; the context travels as the callback's state.
    private static readonly Func<object, Task> ApplyOnStarting = static state =>
    {
        Apply((HttpContext)state);
        return Task.CompletedTask;
    };

    private readonly RequestDelegate _next;

    public DefaultSecurityHeadersMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        // When the response starts, so that responses rewritten on the way out (problem details for an
        // exception, which clear the headers) still carry them.
        context.Response.OnStarting(ApplyOnStarting, context);
        return _next(context);
    }

    internal static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = NoSniff;
        headers.XFrameOptions = Deny;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = NoReferrer;
        headers["Cross-Origin-Resource-Policy"] = SameOrigin;
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers.CacheControl = NoStore;
        headers.XXSSProtection = XssProtectionOff;

        // RFC 6797: only over HTTPS; never to loopback names, where it would pin every local port.
        if (context.Request.IsHttps && !IsLoopback(context.Request.Host.Host))
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        headers.Remove("Server");
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.AsSpan().Trim('[').Trim(']'), out var address) && IPAddress.IsLoopback(address));
}
