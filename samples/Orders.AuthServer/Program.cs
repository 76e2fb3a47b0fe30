using System;
using System.IO;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Server;
using Orders.AuthServer.Configuration;
using Orders.AuthServer.Data;
using Orders.AuthServer.Endpoints;
using static OpenIddict.Abstractions.OpenIddictConstants;

// dotnet run --project samples/Orders.AuthServer -- hash-password   (reads the password from standard input)
if (args.Length > 0 && args[0] == "hash-password")
{
    Console.WriteLine(UserDirectory.HashPassword(Console.In.ReadLine() ?? ""));
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
bool development = builder.Environment.IsDevelopment();
var settings = builder.Configuration.GetSection(AuthServerSettings.SectionName).Get<AuthServerSettings>() ?? new AuthServerSettings();
settings.Validate(development);
string dataPath = settings.DataPath ?? Path.Combine(builder.Environment.ContentRootPath, "App_Data");
var keys = ServerKeys.Load(settings, development, dataPath);

// dotnet run --project samples/Orders.AuthServer -- public-key   (the PEM the Orders API is configured with)
if (args.Length > 0 && args[0] == "public-key")
{
    Console.Write(keys.ExportPublicKeyPem());
    return 0;
}

Directory.CreateDirectory(dataPath);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(keys);
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddDbContext<AuthDbContext>(options =>
{
    options.UseSqlite(settings.ConnectionString ?? $"Data Source={Path.Combine(dataPath, "authserver.db")}");
    options.UseOpenIddict();
});

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.LoginPath = AccountEndpoints.LoginPath;
        options.Cookie.Name = "__orders_login";
        options.Cookie.HttpOnly = true;
        // Lax: the authorization request arrives as a top-level navigation from the client's site.
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.ExpireTimeSpan = TimeSpan.FromSeconds(settings.LoginLifetimeSeconds);
        options.SlidingExpiration = false;
    });
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery(options =>
{
    options.Cookie.Name = "__orders_antiforgery";
    options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
});
builder.Services.AddProblemDetails();

// Online password guessing: a fixed window of sign-in attempts per client address — an IPv6 client by its /64,
// since one host usually holds a whole /64 — and, whatever the address, a throttle per account (5 attempts,
// then a lock of a minute that doubles). Behind a proxy, enable ForwardedHeaders with the proxy as a known
// one, or every client shares the proxy's address.
builder.Services.AddRampartAccountThrottle();
builder.Services.AddRateLimiter(limiter =>
{
    limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    limiter.AddPolicy(AccountEndpoints.LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
        Rampart.RateLimiting.PartitionKey.ForAddress(context.Connection.RemoteIpAddress),
        _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    limiter.OnRejected = (context, cancellationToken) =>
    {
        context.HttpContext.Response.Headers.RetryAfter = "60";
        AccountEndpoints.LogLoginRateLimited(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.AuthServer.Security"));
        return new ValueTask(Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts; try again later.")
            .ExecuteAsync(context.HttpContext));
    };
});

builder.Services.AddOpenIddict()
    .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<AuthDbContext>())
    .AddServer(options =>
    {
        if (settings.Issuer is { } issuer)
        {
            options.SetIssuer(new Uri(issuer, UriKind.Absolute));
        }

        options.SetAuthorizationEndpointUris(AuthorizationEndpoints.Path.TrimStart('/'))
            .SetTokenEndpointUris(AuthorizationEndpoints.TokenPath.TrimStart('/'));

        // Authorization code (with refresh) and client credentials; never implicit, hybrid or password.
        options.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow();

        // PKCE for every client, and only S256: a 'plain' challenge is refused (RFC 9700 §2.1.1).
        options.RequireProofKeyForCodeExchange();
        options.Configure(server =>
        {
            server.CodeChallengeMethods.Clear();
            server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
        });

        options.SetAuthorizationCodeLifetime(TimeSpan.FromSeconds(settings.AuthorizationCodeLifetimeSeconds))
            .SetAccessTokenLifetime(TimeSpan.FromSeconds(settings.AccessTokenLifetimeSeconds))
            .SetRefreshTokenLifetime(TimeSpan.FromSeconds(settings.RefreshTokenLifetimeSeconds))
            // Strict rotation: a refresh token works once; a replay revokes the whole authorization.
            .SetRefreshTokenReuseLeeway(null);

        // redirect_uri is optional in RFC 6749 when a client has one; here it is always required, so the
        // exact-match check always runs and a code never goes to an address the request did not name.
        options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
        {
            if (string.IsNullOrEmpty(context.Request.RedirectUri))
            {
                context.Reject(Errors.InvalidRequest, "The mandatory 'redirect_uri' parameter is missing.");
            }

            return default;
        }));

        options.RegisterScopes([.. settings.AllScopes]);

        // Access tokens are JWS (at+jwt) signed with the asymmetric key, not encrypted: the Orders API
        // validates them with the public key alone. Codes and refresh tokens stay encrypted.
        options.AddSigningKey(keys.Signing).AddEncryptionKey(keys.Encryption);
        options.DisableAccessTokenEncryption();

        var aspNetCore = options.UseAspNetCore()
            .EnableAuthorizationEndpointPassthrough()
            .EnableTokenEndpointPassthrough();
        if (development)
        {
            // Loopback development and tests only: OpenIddict refuses plain HTTP everywhere else.
            aspNetCore.DisableTransportSecurityRequirement();
        }
    });

var app = builder.Build();
await Seeder.SeedAsync(app.Services, settings);

app.UseAuthServerSecurityHeaders();
if (!development)
{
    app.UseHsts();
}

app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapAccountEndpoints();
app.MapAuthorizationEndpoints();
await app.RunAsync();
return 0;
