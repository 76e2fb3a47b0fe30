using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// A resource server validating tokens with the keys of an authorization server's JWKS document,
/// fetched over real HTTP from a local server; the app runs on a fake clock.
/// </summary>
public sealed class JwksTests
{
    private static readonly ECDsa RemoteKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa NextRemoteKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AuthApp> StartAsync(JwksServer server, bool discovery = false, bool configuredKey = false) =>
        AuthApp.StartAsync(configuration: null, configure: o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            if (discovery)
            {
                o.Authority = server.Address;
            }
            else
            {
                o.JwksUri = server.JwksUri;
            }

            o.AllowHttpJwksOnLoopback = true;
            o.JwksRefreshInterval = TimeSpan.FromMinutes(10);
            o.JwksUnknownKeyRefreshInterval = TimeSpan.FromMinutes(1);
            if (configuredKey)
            {
                o.Keys.Add(RampartSigningKey.FromEcdsa(AuthApp.EsKeyId, AuthApp.EsKey));
            }
        });

    private static string Token(AuthApp app, string kid, ECDsa key, string alg = "ES256") =>
        Forge.Es256("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}", Forge.Payload(app), key);

    private static async Task<HttpStatusCode> SendAsync(AuthApp app, string token)
    {
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        return response.StatusCode;
    }

    private static JwksKeySource Source(AuthApp app) => app.Services.GetRequiredService<JwksKeySource>();

    [Fact]
    public async Task A_token_signed_with_a_key_of_the_jwks_document_is_accepted_and_the_document_fetched_once()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(1, server.JwksRequests);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.SigningKeysLoadedId);
    }

    [Fact]
    public async Task The_discovery_document_of_an_authority_names_the_jwks_document()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server, discovery: true);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(1, server.JwksRequests);
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_refused_and_requests_fail_closed_with_503()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        server.DiscoveryIssuer = "https://evil.example";
        await using var app = await StartAsync(server, discovery: true);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(Token(app, "as-1", RemoteKey)), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, server.JwksRequests);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.SigningKeysUnavailableId);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_causes_at_most_one_refetch_per_interval()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(1, server.JwksRequests);

        // Within the unknown-key interval of that fetch, 40 forged kids (20 in parallel) cause no fetch at all.
        Assert.All(await FloodAsync(app, "a"), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(1, server.JwksRequests);

        // Once the interval has passed, the next flood causes exactly one.
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.All(await FloodAsync(app, "b"), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(2, server.JwksRequests);
        Assert.Equal(2, Source(app).Fetches);
    }

    private static async Task<HttpStatusCode[]> FloodAsync(AuthApp app, string prefix)
    {
        var forged = Enumerable.Range(0, 40).Select(i => Token(app, prefix + "-forged-" + i, AuthApp.AttackerKey)).ToArray();
        var statuses = new List<HttpStatusCode>(await Task.WhenAll(forged.Take(20).Select(t => SendAsync(app, t))));
        foreach (string token in forged.Skip(20))
        {
            statuses.Add(await SendAsync(app, token));
        }

        return [.. statuses];
    }

    [Fact]
    public async Task A_new_key_of_the_authorization_server_is_picked_up_by_its_kid_and_a_withdrawn_one_is_dropped_from_the_cache()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server);
        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        string old = Token(app, "as-1", RemoteKey);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old));
        Assert.Equal(1, cache.Hits);

        // The authorization server rotates: as-2 added, as-1 withdrawn. A token with as-2 triggers the refetch.
        server.Document = JwksServer.Jwks(("as-2", NextRemoteKey));
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-2", NextRemoteKey)));
        Assert.Equal(2, server.JwksRequests);

        // The cached as-1 token went with the key set: refused, not a cache hit.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, old));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task Keys_are_refreshed_after_the_refresh_interval_and_kept_when_a_refresh_fails()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));

        server.Failing = true;
        app.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        await Source(app).WhenIdleAsync();
        Assert.Equal(2, server.JwksRequests);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.SigningKeysUnavailableId && e.Message.Contains("True", StringComparison.Ordinal));

        // A failed refresh is retried after the unknown-key interval, not on every request.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(2, server.JwksRequests);
        server.Failing = false;
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        await Source(app).WhenIdleAsync();
        Assert.Equal(3, server.JwksRequests);
    }

    [Fact]
    public async Task A_periodic_refresh_runs_in_the_background_while_the_current_keys_stay_in_use()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await StartAsync(server);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));

        // The document server stalls; requests are answered with the current keys meanwhile.
        server.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Document = JwksServer.Jwks(("as-1", RemoteKey), ("as-2", NextRemoteKey));
        app.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.False(Source(app).WhenIdleAsync().IsCompleted);

        server.Hold.SetResult();
        await Source(app).WhenIdleAsync();
        Assert.Equal(2, server.JwksRequests);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-2", NextRemoteKey)));
        Assert.Equal(2, server.JwksRequests);
    }

    [Fact]
    public async Task The_algorithm_comes_from_the_jwk_never_from_the_token()
    {
        await using var server = await JwksServer.StartAsync();
        // An RSA key and an EC key; tokens claiming another algorithm for their kid are refused.
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        string rsaJwk = "{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\"" + Base64UrlEncoder.Encode(p.Modulus!) + "\",\"e\":\"" + Base64UrlEncoder.Encode(p.Exponent!) + "\"}";
        server.Document = "{\"keys\":[" + rsaJwk + "," + JwksServer.EcJwk("as-1", RemoteKey) + "]}";
        await using var app = await StartAsync(server);

        string rsaInput = Forge.SigningInput("""{"alg":"RS256","typ":"at+jwt","kid":"rsa-1"}""", Forge.Payload(app));
        string rs256 = rsaInput + "." + Base64UrlEncoder.Encode(rsa.SignData(Encoding.ASCII.GetBytes(rsaInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, rs256));

        // The same RSA key with PS256: the key is bound to RS256 (kty RSA without alg).
        string psInput = Forge.SigningInput("""{"alg":"PS256","typ":"at+jwt","kid":"rsa-1"}""", Forge.Payload(app));
        string ps256 = psInput + "." + Base64UrlEncoder.Encode(rsa.SignData(Encoding.ASCII.GetBytes(psInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, ps256));

        // HS256 with the RSA public key as the secret (algorithm confusion) on an RSA kid.
        string hs = Forge.Hs256("""{"alg":"HS256","typ":"at+jwt","kid":"rsa-1"}""", Forge.Payload(app), Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, hs));
        // ES384 claimed for a P-256 key.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, Token(app, "as-1", RemoteKey, "ES384")));
    }

    [Fact]
    public async Task A_configured_backchannel_handler_reaches_an_in_memory_authorization_server()
    {
        // An authorization server on a TestServer (no socket): reachable only through its handler.
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var authorizationServer = builder.Build();
        int requests = 0;
        authorizationServer.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref requests);
            return Microsoft.AspNetCore.Http.Results.Text(JwksServer.Jwks(("as-1", RemoteKey)), "application/json");
        });
        await authorizationServer.StartAsync(Ct);

        await using var app = await AuthApp.StartAsync(configuration: null, configure: o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.JwksUri = new Uri("http://localhost/jwks.json");
            o.AllowHttpJwksOnLoopback = true;
            o.JwksBackchannelHandler = authorizationServer.GetTestServer().CreateHandler();
        });
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(1, requests);
    }

    [Fact]
    public void Symmetric_encryption_and_malformed_keys_are_skipped()
    {
        string doc = "{\"keys\":["
            + "{\"kty\":\"oct\",\"kid\":\"oct-1\",\"k\":\"" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)) + "\"},"
            + JwksServer.EcJwk("enc-1", RemoteKey, ",\"use\":\"enc\"").Replace("\"use\":\"sig\",", "") + ","
            + JwksServer.EcJwk("nokid", RemoteKey).Replace("\"kid\":\"nokid\",", "") + ","
            + JwksServer.EcJwk("wrong-alg", RemoteKey, ",\"alg\":\"ES512\"") + ","
            + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off-curve\",\"x\":\"" + Base64UrlEncoder.Encode(new byte[32]) + "\",\"y\":\"" + Base64UrlEncoder.Encode(new byte[32]) + "\"},"
            + JwksServer.EcJwk("good", RemoteKey)
            + "]}";
        var keys = JwksKeySource.ReadKeys(doc, out _);
        Assert.Equal(["good"], keys.Select(k => k.Id));
        Assert.Equal("ES256", keys[0].Algorithm);
        Assert.False(keys[0].CanSign);
    }

    [Fact]
    public async Task Configured_keys_keep_working_beside_the_document_and_cannot_be_shadowed_by_it()
    {
        await using var server = await JwksServer.StartAsync();
        // The document publishes a key under the configured key's kid: ignored.
        server.Document = JwksServer.Jwks(("as-1", RemoteKey), (AuthApp.EsKeyId, AuthApp.AttackerKey));
        await using var app = await StartAsync(server, configuredKey: true);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Forge.Valid(app)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, Token(app, AuthApp.EsKeyId, AuthApp.AttackerKey)));
    }

    [Theory]
    [InlineData("http://issuer.example/jwks.json", false)]
    [InlineData("http://127.0.0.1:5000/jwks.json", false)]
    [InlineData("ftp://127.0.0.1/jwks.json", true)]
    public async Task Http_addresses_fail_at_start_up_unless_loopback_and_explicitly_allowed(string address, bool allowLoopback)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AuthApp.StartAsync(configuration: null, configure: o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.JwksUri = new Uri(address);
            o.AllowHttpJwksOnLoopback = allowLoopback;
        }));
        Assert.Contains("https", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_settings_are_read_from_configuration()
    {
        await using var server = await JwksServer.StartAsync();
        server.Document = JwksServer.Jwks(("as-1", RemoteKey));
        await using var app = await AuthApp.StartAsync(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:Issuer"] = AuthApp.Issuer,
            ["Rampart:Authentication:Audience"] = AuthApp.Audience,
            ["Rampart:Authentication:JwksUri"] = server.JwksUri.ToString(),
            ["Rampart:Authentication:AllowHttpJwksOnLoopback"] = "true",
            ["Rampart:Authentication:JwksRefreshIntervalSeconds"] = "600",
            ["Rampart:Authentication:JwksUnknownKeyRefreshIntervalSeconds"] = "30",
        }, configure: null);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Token(app, "as-1", RemoteKey)));
        Assert.Equal(1, Source(app).Fetches);
    }
}
