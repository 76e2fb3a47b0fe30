using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Orders.AuthServer.Configuration;
using Orders.AuthServer.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Orders.AuthServer.Endpoints;

/// <summary>
/// The authorization and token endpoints. OpenIddict has already validated each request (client, exact
/// redirect URI, PKCE with S256, grant permissions, scopes, code and refresh-token redemption) before
/// these handlers run; they only decide who the subject is and what goes into the tokens: a user's tokens
/// carry only the requested scopes the user holds (checked again at every code and refresh-token exchange),
/// and a client's subject is <c>client:{client_id}</c>, which no user subject can be.
/// </summary>
internal static partial class AuthorizationEndpoints
{
    public const string Path = "/connect/authorize";
    public const string TokenPath = "/connect/token";

    public static void MapAuthorizationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();
        app.MapPost(TokenPath, ExchangeAsync).DisableAntiforgery();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, IAntiforgery antiforgery, UserDirectory users, AuthServerSettings settings,
        IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IOpenIddictScopeManager scopes,
        ILoggerFactory loggers)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var logger = loggers.CreateLogger("Orders.AuthServer.Security");
        var login = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = login.Succeeded && login.Principal.FindFirst("sub")?.Value is { } subject ? users.FindBySubject(subject) : null;
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            string returnUrl = Path + QueryString.Create(Parameters(request));
            return Results.Redirect(AccountEndpoints.LoginPath + QueryString.Create("returnUrl", returnUrl));
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
            ?? throw new InvalidOperationException("The client was validated by OpenIddict and must exist.");

        // OpenIddict checked the request against what the client may ask for; the user can give no more than the
        // user holds. Recomputed on the POST: the form carries the request, never the grant.
        var requested = request.GetScopes();
        var granted = Grantable(requested, user, settings);
        if (!HoldsAnyRequested(requested, granted, settings))
        {
            LogNothingToGrant(logger, user.Subject, request.ClientId!, string.Join(' ', requested));
            return Forbid(Errors.AccessDenied, "The user holds none of the requested permissions.");
        }

        // Consent is asked every time and given only by a POST carrying an antiforgery token: a GET
        // (a link, an image, a frame) can never issue a code.
        if (HttpMethods.IsGet(context.Request.Method))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.ConsentRequired, "Interactive consent is required.");
            }

            string client = await applications.GetDisplayNameAsync(application, context.RequestAborted) ?? request.ClientId!;
            string origin = new Uri(request.RedirectUri!, UriKind.Absolute).GetLeftPart(UriPartial.Authority);
            await Html.ConsentAsync(context, antiforgery, user.UserName, client, granted, requested.Except(granted, StringComparer.Ordinal).ToArray(),
                Parameters(request), origin);
            return Results.Empty;
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            AccountEndpoints.LogAntiforgeryRejected(logger, Path);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");
        }

        if (!string.Equals(context.Request.Form["decision"], "accept", StringComparison.Ordinal))
        {
            LogConsentDenied(logger, user.Subject, request.ClientId!);
            return Forbid(Errors.AccessDenied, "The user denied the request.");
        }

        var identity = NewIdentity(user.Subject, user.UserName);
        identity.SetScopes(granted);
        identity.SetResources(await ResourcesAsync(scopes, granted));

        // A permanent authorization ties the code, the refresh tokens and their rotations together, so
        // a replayed code or refresh token revokes the whole chain.
        var authorization = await authorizations.CreateAsync(identity, user.Subject,
            await applications.GetIdAsync(application, context.RequestAborted) ?? "", AuthorizationTypes.Permanent, granted, context.RequestAborted);
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, context.RequestAborted));
        identity.SetDestinations(Destinations);
        LogConsentGiven(logger, user.Subject, request.ClientId!, string.Join(' ', granted));
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, UserDirectory users, AuthServerSettings settings, IOpenIddictScopeManager scopes)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has authenticated the client and checked each scope against its permissions.
            var requested = request.GetScopes();
            if (requested.IsDefaultOrEmpty)
            {
                return Forbid(Errors.InvalidScope, "Ask for at least one scope: every access token names its API.");
            }

            // Never a user's subject: the client namespace is reserved (AuthServerSettings.ClientSubjectPrefix).
            var identity = NewIdentity(AuthServerSettings.ClientSubjectPrefix + request.ClientId!, name: null);
            identity.SetScopes(requested);
            identity.SetResources(await ResourcesAsync(scopes, requested));
            identity.SetDestinations(Destinations);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The principal stored in the (single-use) code or (rotated) refresh token.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            string? subject = result.Principal?.GetClaim(Claims.Subject);
            var user = subject is null ? null : users.FindBySubject(subject);
            if (user is null)
            {
                return Forbid(Errors.InvalidGrant, "The user no longer exists.");
            }

            // Only what the user still holds of what was granted (the user's permissions may have changed since).
            var stored = result.Principal!.GetScopes();
            var granted = Grantable(stored, user, settings);
            if (!HoldsAnyRequested(stored, granted, settings))
            {
                return Forbid(Errors.InvalidGrant, "The user no longer holds the granted permissions.");
            }

            var identity = new ClaimsIdentity(result.Principal!.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.UserName);
            identity.SetScopes(granted);
            identity.SetResources(await ResourcesAsync(scopes, granted));
            identity.SetDestinations(Destinations);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    // The requested scopes the user may grant: a resource's scope only when the user holds it; a protocol scope
    // (offline_access) as requested, since it is no permission.
    private static ImmutableArray<string> Grantable(ImmutableArray<string> requested, AuthUser user, AuthServerSettings settings)
    {
        var resourceScopes = settings.AllScopes.ToHashSet(StringComparer.Ordinal);
        return requested.Where(scope => !resourceScopes.Contains(scope) || user.Scopes.Contains(scope)).ToImmutableArray();
    }

    // False when the request named permissions and the user holds none of them: a token for no API is no answer.
    private static bool HoldsAnyRequested(ImmutableArray<string> requested, ImmutableArray<string> granted, AuthServerSettings settings)
    {
        var resourceScopes = settings.AllScopes.ToHashSet(StringComparer.Ordinal);
        return !requested.Any(resourceScopes.Contains) || granted.Any(resourceScopes.Contains);
    }

    private static ClaimsIdentity NewIdentity(string subject, string? name)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject);
        if (name is not null)
        {
            identity.SetClaim(Claims.Name, name);
        }

        return identity;
    }

    // Only the subject and name go into access tokens; nothing is put into identity tokens (no openid scope).
    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Name => [OpenIddictConstants.Destinations.AccessToken],
        _ => [],
    };

    // The audiences of the granted scopes: a token for orders:read is a token for orders-api only.
    private static async Task<ImmutableArray<string>> ResourcesAsync(IOpenIddictScopeManager scopes, ImmutableArray<string> granted)
    {
        var resources = ImmutableArray.CreateBuilder<string>();
        await foreach (string resource in scopes.ListResourcesAsync(granted))
        {
            resources.Add(resource);
        }

        return resources.Distinct(StringComparer.Ordinal).ToImmutableArray();
    }

    private static IEnumerable<KeyValuePair<string, string?>> Parameters(OpenIddictRequest request) =>
        request.GetParameters()
            .Where(p => p.Key is not ("decision" or "__RequestVerificationToken"))
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "User {Subject} granted {Scopes} to client {ClientId}")]
    private static partial void LogConsentGiven(ILogger logger, string subject, string clientId, string scopes);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "User {Subject} denied client {ClientId}")]
    private static partial void LogConsentDenied(ILogger logger, string subject, string clientId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "User {Subject} holds none of {Scopes} asked by client {ClientId}: access denied")]
    private static partial void LogNothingToGrant(ILogger logger, string subject, string clientId, string scopes);
}
