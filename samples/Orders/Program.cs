using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orders.Auth;
using Orders.Development;
using Orders.Stores;
using Rampart.Authentication;

var builder = WebApplication.CreateSlimBuilder(args);
// Authorization: holding admin:* grants admin:read and admin:write (resolved once at start-up). AddRampart also
// makes endpoints mapped outside Rampart require an authenticated caller unless they say .AllowAnonymous().
builder.AddRampart(options => options.Authorization.Hierarchy.Imply("admin:*", "admin:read", "admin:write"));
builder.AddRampartAuthentication();   // the Rampart:Authentication section; unsafe or missing settings fail at start-up
builder.Services.AddOptions<RampartAuthenticationOptions>()
    .Configure<IHostEnvironment, IConfiguration>((options, environment, configuration) =>
    {
        // Development only, and only when no key source is configured: a generated key kept outside the
        // repository. Never beside a JWKS document or authority: the API would then accept its own tokens
        // under the authorization server's issuer. Elsewhere no key means the profile's start-up failure.
        if (environment.IsDevelopment() && options.Keys.Count == 0 && options.JwksUri is null && options.Authority is null)
        {
            string dataPath = configuration[DevelopmentSigningKey.DataPathKey] ?? Path.Combine(environment.ContentRootPath, "App_Data");
            options.Keys.Add(DevelopmentSigningKey.LoadOrCreate(dataPath));
        }
    });
builder.Services.AddOrdersAuth();      // users (with the orders), the jti deny-list and refresh tokens (orders.db); Development seed users
builder.AddRampartData();            // SQLite in App_Data unless Rampart:Data configures PostgreSQL; Migrations/*.sql at start-up
builder.Services.AddRampartPostgreSql(); // Rampart:Data:Provider = PostgreSql (the Rampart.PostgreSql package)
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderStore>();

var app = builder.Build();

// dotnet run --project samples/Orders -- token --sub alice --scope "orders:read orders:write"
if (args.Length > 0 && args[0] == "token")
{
    return TokenCommand.Run(app, args);
}

app.UseRampart();
app.UseRampartAuthentication();
app.MapRampartEndpoints();
app.MapRampartJwks();                  // GET /.well-known/jwks.json: the public signing keys
// Not Rampart contracts: the fallback policy covers them — 401 for anonymous callers unless explicitly anonymous.
app.MapGet("/ready", () => "ready").AllowAnonymous();
app.MapGet("/internal/status", () => "running");
app.Run();
return 0;

/// <summary>The sample's entry point, visible to its end-to-end tests.</summary>
public partial class Program
{
}
