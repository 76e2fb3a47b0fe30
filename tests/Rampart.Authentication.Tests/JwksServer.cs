using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication.Tests;

/// <summary>
/// A real HTTP server on a free loopback port (Kestrel, port 0) serving a JWKS document whose keys the
/// test changes at will, and a discovery document; it counts the requests for the JWKS document.
/// </summary>
internal sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _jwksRequests;

    private JwksServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address { get; }

    public Uri JwksUri => new(Address, "/jwks.json");

    /// <summary>The JWKS document served now (a JSON text).</summary>
    public string Document { get; set; } = """{"keys":[]}""";

    /// <summary>The issuer named by the discovery document.</summary>
    public string DiscoveryIssuer { get; set; } = AuthApp.Issuer;

    /// <summary>When set, the JWKS document is answered only once this completes.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>When set, the JWKS document answers 500.</summary>
    public bool Failing { get; set; }

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        JwksServer? server = null;
        app.MapGet("/jwks.json", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server!._jwksRequests);
            if (server.Hold is { } hold)
            {
                await hold.Task;
            }

            if (server.Failing)
            {
                return Results.StatusCode(500);
            }

            return Results.Text(server.Document, "application/jwk-set+json");
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(
            "{\"issuer\":\"" + server!.DiscoveryIssuer + "\",\"jwks_uri\":\"" + server.JwksUri + "\"}", "application/json"));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new JwksServer(app, new Uri(address));
        return server;
    }

    /// <summary>A JWKS document of <paramref name="keys"/> (public parameters only).</summary>
    public static string Jwks(params (string Kid, ECDsa Key)[] keys) =>
        "{\"keys\":[" + string.Join(",", keys.Select(k => EcJwk(k.Kid, k.Key))) + "]}";

    public static string EcJwk(string kid, ECDsa key, string extra = "")
    {
        var p = key.ExportParameters(false);
        string crv = key.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
        return "{\"kty\":\"EC\",\"use\":\"sig\",\"crv\":\"" + crv + "\",\"kid\":\"" + kid + "\",\"x\":\"" + Base64UrlEncoder.Encode(p.Q.X!)
            + "\",\"y\":\"" + Base64UrlEncoder.Encode(p.Q.Y!) + "\"" + extra + "}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
