using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>The three flows end to end over HTTP: auth server → token → Orders API.</summary>
public sealed class FlowTests(OAuthServers servers)
{
    [Fact]
    public async Task Client_credentials_token_calls_the_orders_api()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.ClientCredentialsAsync(client, "orders-worker", servers.WorkerSecret, "orders:read orders:write");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Null(token.RefreshToken);   // no refresh token for machine-to-machine

        // An RFC 9068 access token: at+jwt, signed (not encrypted) with the asymmetric key, for orders-api only.
        var jwt = new JsonWebToken(token.AccessToken);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(servers.SigningKeyId, jwt.Kid);
        Assert.Equal(["orders-api"], jwt.Audiences);
        Assert.Equal(servers.Issuer, jwt.Issuer);
        Assert.Equal("orders:read orders:write", jwt.GetClaim("scope").Value);
        Assert.Equal("client:orders-worker", jwt.Subject);   // the client namespace: never a user's subject
        Assert.Equal("orders-worker", jwt.GetClaim("client_id").Value);

        using var response = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("client:orders-worker", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("orders-web", true)]
    [InlineData("orders-spa", false)]
    public async Task Authorization_code_with_pkce_login_consent_code_token_call(string clientId, bool confidential)
    {
        string redirect = confidential ? OAuthServers.WebRedirectUri : OAuthServers.SpaRedirectUri;
        string? secret = confidential ? servers.WebSecret : null;
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var callback = await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl(clientId, redirect, "orders:read", pkce.Challenge, state: "state-123"), OAuthServers.UserName, servers.Password);

        // Back to the exact redirect URI with the code, the state and the issuer (RFC 9207 mix-up defence).
        Assert.Equal(redirect, callback.GetLeftPart(UriPartial.Path));
        var parameters = OAuthFlows.Query(callback);
        Assert.Equal("state-123", parameters["state"]);
        Assert.Equal(servers.Issuer, parameters["iss"]);

        var token = await OAuthFlows.RedeemCodeAsync(browser, clientId, secret, parameters["code"], redirect, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        var jwt = new JsonWebToken(token.AccessToken);
        Assert.Equal("user-alice", jwt.Subject);
        Assert.Equal("orders:read", jwt.GetClaim("scope").Value);
        Assert.Equal(["orders-api"], jwt.Audiences);

        using var response = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user-alice", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Refresh_token_rotates_and_a_replayed_one_revokes_the_chain()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var callback = await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read offline_access", pkce.Challenge),
            OAuthServers.UserName, servers.Password);
        var first = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, OAuthFlows.Query(callback)["code"], OAuthServers.WebRedirectUri, pkce.Verifier);
        Assert.NotNull(first.RefreshToken);

        var second = await OAuthFlows.RefreshAsync(browser, "orders-web", servers.WebSecret, first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotNull(second.RefreshToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);   // rotated
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        using (var call = await OAuthFlows.CallApiAsync(servers.Api, second.AccessToken!))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        // The used refresh token is dead (no reuse leeway) ...
        var replay = await OAuthFlows.RefreshAsync(browser, "orders-web", servers.WebSecret, first.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Equal("invalid_grant", replay.Error);

        // ... and its replay revoked the authorization, so the legitimate successor is dead too (RFC 9700 §4.14.2).
        var successor = await OAuthFlows.RefreshAsync(browser, "orders-web", servers.WebSecret, second.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, successor.Status);
        Assert.Equal("invalid_grant", successor.Error);
    }

    [Fact]
    public async Task Refresh_token_belongs_to_its_client()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var callback = await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl("orders-spa", OAuthServers.SpaRedirectUri, "orders:read offline_access", pkce.Challenge),
            OAuthServers.UserName, servers.Password);
        var tokens = await OAuthFlows.RedeemCodeAsync(browser, "orders-spa", null, OAuthFlows.Query(callback)["code"], OAuthServers.SpaRedirectUri, pkce.Verifier);
        Assert.NotNull(tokens.RefreshToken);

        var stolen = await OAuthFlows.RefreshAsync(browser, "orders-web", servers.WebSecret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.Status);
        Assert.Equal("invalid_grant", stolen.Error);
    }

    [Fact]
    public async Task Discovery_and_jwks_advertise_only_the_hardened_profile()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(servers.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.Equal(["code"], Strings(discovery, "response_types_supported"));
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"], Strings(discovery, "grant_types_supported").Order());
        Assert.True(discovery.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());

        var jwks = await client.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(servers.SigningKeyId, key.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));   // public half only
    }

    private static string[] Strings(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
