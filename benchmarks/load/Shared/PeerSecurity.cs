using System;
using System.Diagnostics;
using System.Security.Claims;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Load;

/// <summary>
/// The protections of the secured scenario as a team would write them by hand on ASP.NET Core, shared by
/// the FastEndpoints and the minimal-API apps: JwtBearer (HS256, exact issuer and audience, lifetime,
/// 30 s skew, no claim mapping), a per-client token-bucket rate limiter partitioned by subject or client
/// address, the same security headers Rampart sends, and one request-log entry per request with the
/// sensitive note redacted.
/// </summary>
public static partial class PeerSecurity
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.IncludeErrorDetails = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = LoadSettings.Issuer,
                ValidAudience = LoadSettings.Audience,
                IssuerSigningKey = new SymmetricSecurityKey(LoadSettings.Secret) { KeyId = LoadSettings.KeyId },
                ValidAlgorithms = new[] { SecurityAlgorithms.HmacSha256 },
                ValidTypes = new[] { "at+jwt" },
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(
                    context.User.FindFirst("sub")?.Value ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    static _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = LoadSettings.RateLimitPerSecond,
                        TokensPerPeriod = LoadSettings.RateLimitPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
        });
    }

    /// <summary>Security headers, authentication, the request log and the rate limiter, in that order.</summary>
    public static void UseMiddleware(WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";
            headers.CacheControl = "no-store";
            headers.XXSSProtection = "0";
            return next(context);
        });
        app.UseAuthentication();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoadSettings.RequestLogCategory);
        app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            long started = Stopwatch.GetTimestamp();
            await next(context);
            var endpoint = context.GetEndpoint() as RouteEndpoint;
            RequestCompleted(
                logger,
                context.Request.Method,
                endpoint?.RoutePattern.RawText ?? "(unmatched)",
                context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.User.FindFirst("sub")?.Value,
                context.Connection.RemoteIpAddress?.ToString(),
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier,
                context.Items[ParametersKey] as string);
        });
        app.UseAuthorization();
        app.UseRateLimiter();
    }

    /// <summary>The handler stores the bound parameters here, already redacted, for the request log.</summary>
    public static readonly object ParametersKey = new();

    /// <summary>The bound order as the log shows it: the note replaced by the marker.</summary>
    public static string LogParameters(string productId, int quantity, string? note) =>
        note is null
            ? $"{{\"productId\":\"{productId}\",\"quantity\":{quantity},\"note\":null}}"
            : $"{{\"productId\":\"{productId}\",\"quantity\":{quantity},\"note\":\"{LoadSettings.RedactedMarker}\"}}";

    /// <summary>True when the principal's space-separated <c>scope</c> claim holds the permission.</summary>
    public static bool HasScope(ClaimsPrincipal user, string permission)
    {
        foreach (var claim in user.FindAll("scope"))
        {
            foreach (var range in claim.Value.AsSpan().Split(' '))
            {
                if (claim.Value.AsSpan()[range].SequenceEqual(permission))
                {
                    return true;
                }
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information,
        Message = "{Method} {Route} responded {Status} in {DurationMs} ms (user {UserId}, client {ClientIp}, trace {TraceId}) {Parameters}")]
    private static partial void RequestCompleted(ILogger logger, string method, string route, int status, double durationMs, string? userId, string? clientIp, string traceId, string? parameters);
}

/// <summary>The order view every implementation answers with (201).</summary>
public sealed record OrderView(Guid Id, string OwnerId, string ProductId, int Quantity);

/// <summary>The FastEndpoints benchmark response.</summary>
public sealed record BenchmarkResponse(int Id, string Name, int Age, string? PhoneNumber);
