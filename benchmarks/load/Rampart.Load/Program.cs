using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Authentication;
using Rampart.Load;

// dotnet Rampart.Load.dll --urls http://127.0.0.1:PORT --scenario fe|orders
// dotnet Rampart.Load.dll token [scope]   prints a one-hour HS256 access token for the secured scenario
//   (scope default orders:write; run.sh also asks for one with orders:read to check the 403 of every app)
// --without token-cache,log,rate-limit,headers,revocation-store   turns protections off, one at a time, to see what each
//   costs under load (run.sh targets rampart-no-token-cache, rampart-no-log, ...); never for comparisons.
string scenario = LoadSettings.Scenario(args);
bool secured = scenario == "orders" || (args.Length > 0 && args[0] is "token" or "tokens");
string[] without = (LoadSettings.Option(args, "--without") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
var builder = WebApplication.CreateSlimBuilder(args);
LoadSettings.ConfigureLogging(builder.Logging, requestLog: secured && !without.Contains("log"));
builder.AddRampart(o =>
{
    o.RequireHttps = false;
    o.DefaultRateLimit = secured && !without.Contains("rate-limit") ? $"{LoadSettings.RateLimitPerSecond}/second" : null;
    if (without.Contains("headers"))
    {
        o.SecurityHeaders = headers => headers.Clear();
    }
});
if (secured)
{
    if (without.Contains("revocation-store"))
    {
        // Diagnostic only: the in-memory deny-list instead of the default SQLite one.
        builder.Services.AddSingleton<ITokenRevocationStore>(new InMemoryTokenRevocationStore());
    }

    builder.AddRampartAuthentication(o =>
    {
        o.Issuer = LoadSettings.Issuer;
        o.Audiences.Add(LoadSettings.Audience);
        o.Keys.Add(RampartSigningKey.FromSecret(LoadSettings.KeyId, LoadSettings.Secret));
        o.EnableValidatedTokenCache = !without.Contains("token-cache");
    });
}

var app = builder.Build();
if (args.Length > 0 && args[0] == "token")
{
    var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("load-client", new[] { args.Length > 1 ? args[1] : LoadSettings.Permission }, TimeSpan.FromHours(1));
    Console.WriteLine(token.Token);
    return 0;
}

// dotnet Rampart.Load.dll tokens N   prints N tokens with orders:write, one per line, for N distinct clients
if (args.Length > 1 && args[0] == "tokens")
{
    var issuer = app.Services.GetRequiredService<ITokenIssuer>();
    for (int i = 0; i < int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture); i++)
    {
        Console.WriteLine(issuer.Issue("load-client-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { LoadSettings.Permission }, TimeSpan.FromHours(1)).Token);
    }

    return 0;
}

app.UseRampart();
if (secured)
{
    app.UseRampartAuthentication();
}

app.MapRampartEndpoints();
LoadSettings.ReportOnStop(app.Lifetime);
app.Run();
return 0;
