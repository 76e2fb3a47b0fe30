using System;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Rampart;
using Rampart.Authentication;
using Rampart.Logging;
using Rampart.RateLimiting;

namespace Orders.Auth;

/// <summary>
/// Changes the caller's password. The current password is required (a stolen access token alone cannot take the
/// account over); on success every refresh-token family and every access token of the user is revoked — this
/// request's included — and the client logs in again with the new password. A token holder guessing the current
/// password is slowed like a login: its own limit of 5 a minute, and the account throttle of the login (the same
/// count, keyed by the user name: 5 attempts, then a lock that doubles; a success resets it), so guesses here
/// and at the login together get no more tries than the login alone.
/// </summary>
[SecureEndpoint("POST", "/api/v1/auth/password", RequireAuthentication = true, RateLimit = "5/minute")]
public sealed partial record ChangePassword
{
    /// <summary>The password now, redacted from logs.</summary>
    [Required, StringLength(128, MinimumLength = 1), Sensitive]
    public required string CurrentPassword { get; init; }

    /// <summary>The new password: 12 to 128 characters, redacted from logs.</summary>
    [Required, StringLength(128, MinimumLength = 12), Sensitive]
    public required string NewPassword { get; init; }

    static async ValueTask<Results<NoContent, ProblemHttpResult>> HandleAsync(
        ChangePassword request, Caller caller, HttpContext context, UserStore users, RefreshTokenService tokens, AccountThrottle throttle, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(SecurityEvents.Category);
        string subject = caller.Id!; // authenticated by the generated check; the subject is the user name
        try
        {
            // As at the login: counted before the check, and a locked account's attempt is not checked at all.
            var attempt = await throttle.BeginAttemptAsync(subject, cancellationToken);
            if (!attempt.IsAllowed)
            {
                return AuthEndpoints.AccountLocked(context, attempt);
            }

            if (await users.VerifyAsync(subject, request.CurrentPassword, cancellationToken) is null)
            {
                AuthenticationEvents.LoginFailed(logger, subject, AuthEndpoints.Client(context));
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The current password is incorrect.");
            }

            await throttle.SucceededAsync(subject, cancellationToken);

            if (string.Equals(request.CurrentPassword, request.NewPassword, StringComparison.Ordinal))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: "The new password must differ from the current one.");
            }

            // The password first, then the sessions: a login with the old password can no longer start a new one.
            await users.SetPasswordAsync(subject, request.NewPassword, cancellationToken);
            await tokens.RevokeSubjectAsync(subject, "password_changed", cancellationToken);
        }
        catch (DbException ex)
        {
            // Not done (or the sessions not ended): the client must not believe it is. Retried with the password now in force.
            return AuthEndpoints.StoreUnavailable(logger, ex, context);
        }

        return TypedResults.NoContent();
    }
}

/// <summary>
/// Removes a user (administrators only): the user can no longer log in or refresh, and every refresh-token family
/// and access token of the user is revoked at once. 404 when there is no such user — the user's tokens are revoked
/// even then, so a retry after a failed revocation finishes the job.
/// </summary>
[SecureEndpoint("DELETE", "/api/v1/admin/users/{userName}", Permission = "admin:write")]
public sealed partial record RemoveUser
{
    /// <summary>The user name (as at login).</summary>
    [Required, StringLength(64, MinimumLength = 1), RegularExpression("^[A-Za-z0-9._@-]+$")]
    public required string UserName { get; init; }

    static async ValueTask<Results<NoContent, NotFound, ProblemHttpResult>> HandleAsync(
        RemoveUser request, HttpContext context, UserStore users, RefreshTokenService tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        bool removed;
        try
        {
            removed = await users.RemoveAsync(request.UserName, cancellationToken);
            await tokens.RevokeSubjectAsync(request.UserName, "user_removed", cancellationToken);
        }
        catch (DbException ex)
        {
            return AuthEndpoints.StoreUnavailable(loggers.CreateLogger(SecurityEvents.Category), ex, context);
        }

        return removed ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
