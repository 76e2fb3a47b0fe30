using System;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rampart;
using Rampart.Authentication;
using Rampart.Logging;
using Rampart.RateLimiting;

namespace Orders.Auth;

/// <summary>
/// First-party login: a user name and password for an access token and a refresh token. Its own strict
/// rate limit (5 a minute per client address, on top of the application default, counted per address even
/// when a bearer token is attached) slows password guessing from one place; the account throttle (5 attempts
/// at a name, then a lock of a minute that doubles with each further attempt) slows it from many. An unknown
/// user and a wrong password get the same answer after the same hashing work, and lock the same way.
/// </summary>
[SecureEndpoint("POST", "/api/v1/auth/token", AllowAnonymous = true, RateLimit = "5/minute", RateLimitPartition = RateLimitPartitioning.ByAddress)]
public sealed partial record Login
{
    /// <summary>The user name: letters, digits and <c>. _ @ -</c>, up to 64 characters.</summary>
    [Required, StringLength(64, MinimumLength = 1), RegularExpression("^[A-Za-z0-9._@-]+$")]
    public required string UserName { get; init; }

    /// <summary>The password, redacted from logs.</summary>
    [Required, StringLength(128, MinimumLength = 1), Sensitive]
    public required string Password { get; init; }

    static async ValueTask<Results<Ok<TokenResponse>, ProblemHttpResult>> HandleAsync(
        Login request, HttpContext context, UserStore users, RefreshTokenService tokens, AccountThrottle throttle, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(SecurityEvents.Category);
        string client = AuthEndpoints.Client(context);
        try
        {
            // Counted before the password is checked (parallel guesses cannot all pass); a locked account's
            // attempt is not checked at all. The name is not looked up first, so unknown names lock alike.
            var attempt = await throttle.BeginAttemptAsync(request.UserName, cancellationToken);
            if (!attempt.IsAllowed)
            {
                return AuthEndpoints.AccountLocked(context, attempt);
            }

            if (await users.VerifyAsync(request.UserName, request.Password, cancellationToken) is not { } user)
            {
                // The name as typed is not logged: people type passwords into user-name fields.
                AuthenticationEvents.LoginFailed(logger, "(not logged)", client);
                return AuthEndpoints.Unauthorized(context, "The user name or password is incorrect.");
            }

            await throttle.SucceededAsync(request.UserName, cancellationToken);
            var pair = await tokens.IssueAsync(user.UserName, user.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), cancellationToken);
            AuthenticationEvents.LoginSucceeded(logger, user.UserName, client, pair.AccessToken.Id);
            return TypedResults.Ok(TokenResponse.From(pair));
        }
        catch (DbException ex) // the user store (SQLite or PostgreSQL) or the refresh-token store
        {
            return AuthEndpoints.StoreUnavailable(logger, ex, context);
        }
    }
}

/// <summary>
/// Refresh-token rotation: a refresh token for a new access token and a new refresh token. Single use:
/// presenting a used one again revokes the whole login (reuse detection). The user is checked again each time
/// (<see cref="UserRefreshValidator"/>): a removed or disabled user's login is revoked, and the new access token
/// carries only the permissions of the login the user still holds. Limited per
/// client address, even when a bearer token is attached.
/// </summary>
[SecureEndpoint("POST", "/api/v1/auth/refresh", AllowAnonymous = true, RateLimit = "10/minute", RateLimitPartition = RateLimitPartitioning.ByAddress)]
public sealed partial record Refresh
{
    /// <summary>The refresh token from the last login or refresh, redacted from logs.</summary>
    [Required, StringLength(64, MinimumLength = 40), RegularExpression("^[A-Za-z0-9_-]+$"), Sensitive]
    [JsonPropertyName("refresh_token")]
    public required string RefreshToken { get; init; }

    static async ValueTask<Results<Ok<TokenResponse>, ProblemHttpResult>> HandleAsync(
        Refresh request, HttpContext context, RefreshTokenService tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(SecurityEvents.Category);
        TokenPair? pair;
        try
        {
            pair = await tokens.RefreshAsync(request.RefreshToken, AuthEndpoints.Client(context), cancellationToken);
        }
        catch (DbException ex) // the refresh-token store, or the user store the refresh validator reads
        {
            return AuthEndpoints.StoreUnavailable(logger, ex, context);
        }

        if (pair is null)
        {
            AuthenticationEvents.TokenInvalid(logger, "invalid_refresh_token", "POST", "/api/v1/auth/refresh", AuthEndpoints.Client(context));
            return AuthEndpoints.Unauthorized(context, "The refresh token is invalid, used, revoked or expired.");
        }

        return TypedResults.Ok(TokenResponse.From(pair));
    }
}

/// <summary>
/// Logout: revokes the presented access token (its <c>jti</c>) and the refresh-token family it belongs to.
/// Any signed-in caller may log out (no particular permission); without a valid token it is 401.
/// </summary>
[SecureEndpoint("POST", "/api/v1/auth/logout", RequireAuthentication = true)]
public sealed partial record Logout
{
    static async ValueTask<Results<NoContent, ProblemHttpResult>> HandleAsync(
        HttpContext context, ClaimsPrincipal principal, ITokenRevocationStore revocations, RefreshTokenService tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Authenticated by the generated check already; a token without a jti cannot be revoked.
        if (principal.FindFirst("jti")?.Value is not { Length: > 0 } tokenId)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Logging out needs the access token.");
        }

        try
        {
            await tokens.RevokeFamilyOfAccessTokenAsync(tokenId, cancellationToken);
            await revocations.RevokeAsync(principal, cancellationToken);
        }
        catch (SqliteException ex)
        {
            // Not revoked: the client must not believe it is logged out.
            return AuthEndpoints.StoreUnavailable(loggers.CreateLogger(SecurityEvents.Category), ex, context);
        }

        return TypedResults.NoContent();
    }
}

/// <summary>The token endpoint's answer, in the names of RFC 6749 §5.1.</summary>
public sealed record TokenResponse
{
    /// <summary>The access token (a JWT, <c>at+jwt</c>).</summary>
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    /// <summary>Always <c>Bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public required string TokenType { get; init; }

    /// <summary>Seconds until the access token expires.</summary>
    [JsonPropertyName("expires_in")]
    public required long ExpiresIn { get; init; }

    /// <summary>The opaque, single-use refresh token.</summary>
    [JsonPropertyName("refresh_token")]
    public required string RefreshToken { get; init; }

    /// <summary>The granted permissions, space-separated.</summary>
    [JsonPropertyName("scope")]
    public required string Scope { get; init; }

    internal static TokenResponse From(TokenPair pair) => new()
    {
        AccessToken = pair.AccessToken.Token,
        TokenType = "Bearer",
        ExpiresIn = (long)(pair.AccessToken.ExpiresAt - pair.AccessToken.IssuedAt).TotalSeconds,
        RefreshToken = pair.RefreshToken,
        Scope = pair.Scope,
    };
}

/// <summary>Helpers of the auth endpoints.</summary>
internal static class AuthEndpoints
{
    public static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    // The user, refresh-token or revocation store failed: 503 (the client is not at fault), event 1005.
    public static ProblemHttpResult StoreUnavailable(ILogger logger, Exception exception, HttpContext context)
    {
        AuthenticationEvents.RevocationStoreUnavailable(logger, exception, context.Request.Method, context.Request.Path.Value ?? "", Client(context));
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable", detail: "The request cannot be completed right now.");
    }

    // A locked account: 429 with Retry-After, the same for every name (known or not), without a WWW-Authenticate
    // challenge (the credentials were not checked).
    public static ProblemHttpResult AccountLocked(HttpContext context, AccountAttempt attempt)
    {
        context.Response.Headers.RetryAfter = attempt.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
            detail: "Too many sign-in attempts for this account; try again later.", type: Rampart.RateLimiting.RateLimitGate.QuotaExceededType);
    }

    // 401 with a problem body and the challenge RFC 9110 requires; it names no error code, since no
    // bearer token was at fault (the credentials in the body were).
    public static ProblemHttpResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
    }
}
