using System;
using System.Globalization;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orders.AuthServer.Data;
using Rampart.RateLimiting;

namespace Orders.AuthServer.Endpoints;

/// <summary>The login page: a form, a password check, a short-lived login cookie.</summary>
internal static partial class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LoginRateLimit = "login";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            IsAuthorizeUrl(returnUrl)
                ? Html.LoginAsync(context, antiforgery, returnUrl!, error: null)
                : BadRequestAsync(context));

        app.MapPost(LoginPath, LoginAsync).DisableAntiforgery().RequireRateLimiting(LoginRateLimit);   // validated explicitly below, with a 400 of our own
    }

    private static async Task LoginAsync(HttpContext context, IAntiforgery antiforgery, UserDirectory users, AccountThrottle throttle, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Orders.AuthServer.Security");
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            LogAntiforgeryRejected(logger, LoginPath);
            await BadRequestAsync(context);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string returnUrl = form["returnUrl"].ToString();
        if (!IsAuthorizeUrl(returnUrl))
        {
            await BadRequestAsync(context);
            return;
        }

        string userName = form["username"].ToString();
        string password = form["password"].ToString();
        AuthUser? user = null;
        if (userName.Length is > 0 and <= 100 && password.Length is > 0 and <= 200)
        {
            // Counted before the password is checked, for any name (an unknown one locks alike); a locked
            // account's attempt is not checked at all, the right password included.
            var attempt = await throttle.BeginAttemptAsync(userName, context.RequestAborted);
            if (!attempt.IsAllowed)
            {
                LogAccountLocked(logger, attempt.RetryAfterSeconds);
                context.Response.Headers.RetryAfter = attempt.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Html.LoginAsync(context, antiforgery, returnUrl, "Too many sign-in attempts for this account; try again later.", StatusCodes.Status429TooManyRequests);
                return;
            }

            user = users.Verify(userName, password);
            if (user is not null)
            {
                await throttle.SucceededAsync(userName, context.RequestAborted);
            }
        }

        if (user is null)
        {
            // One message for an unknown name and a wrong password: no account enumeration.
            LogLoginFailed(logger);
            await Html.LoginAsync(context, antiforgery, returnUrl, "The user name or password is incorrect.", StatusCodes.Status401Unauthorized);
            return;
        }

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, "name", "role");
        identity.AddClaim(new Claim("sub", user.Subject));
        identity.AddClaim(new Claim("name", user.UserName));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogLoggedIn(logger, user.Subject);
        // Back to the authorization request only (never an open redirect).
        context.Response.Redirect(returnUrl);
    }

    // Only a path on this server's authorization endpoint, never another host ("//evil", "/\evil").
    internal static bool IsAuthorizeUrl(string? url) =>
        url is not null && url.Length <= 8192 &&
        (url == AuthorizationEndpoints.Path || url.StartsWith(AuthorizationEndpoints.Path + "?", StringComparison.Ordinal));

    private static Task BadRequestAsync(HttpContext context) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.").ExecuteAsync(context);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Login failed")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "User {Subject} signed in")]
    private static partial void LogLoggedIn(ILogger logger, string subject);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Sign-in attempts rate limited")]
    internal static partial void LogLoginRateLimited(ILogger logger);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Sign-in attempt refused: the account is locked for {RetryAfterSeconds} s")]
    private static partial void LogAccountLocked(ILogger logger, int retryAfterSeconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Antiforgery validation failed on {Path}")]
    internal static partial void LogAntiforgeryRejected(ILogger logger, string path);
}
