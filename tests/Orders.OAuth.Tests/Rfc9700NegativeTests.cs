using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>RFC 9700 (OAuth 2.0 Security BCP) from the attacker's side: each request must be refused.</summary>
public sealed class Rfc9700NegativeTests(OAuthServers servers)
{
    [Fact]
    public async Task Authorization_request_without_pkce_is_refused()
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var response = await browser.GetAsync(OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", challenge: null));
        await AssertRefusedAsync(response, "'code_challenge' parameter is missing");
    }

    [Fact]
    public async Task Plain_code_challenge_is_refused()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        // 'plain' sends the verifier itself as the challenge: whoever sees the request can redeem the code.
        using var response = await browser.GetAsync(OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Verifier, method: "plain"));
        await AssertRefusedAsync(response, "code_challenge_method");
    }

    [Fact]
    public async Task Challenge_without_method_is_refused()
    {
        // Without code_challenge_method RFC 7636 defaults to 'plain', which is not offered.
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var response = await browser.GetAsync(OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge, method: null));
        await AssertRefusedAsync(response, "code_challenge_method");
    }

    [Theory]
    [InlineData("token")]
    [InlineData("id_token token")]
    [InlineData("code token")]
    public async Task Implicit_and_hybrid_response_types_are_refused(string responseType)
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var response = await browser.GetAsync(OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge, responseType: responseType));
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Redirect, $"status {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!;
            // An error, and never an access token in a fragment.
            Assert.DoesNotContain("access_token", location.OriginalString, StringComparison.Ordinal);
            Assert.Contains("error=unsupported_response_type", location.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Password_grant_is_refused()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.TokenAsync(client, "orders-web", servers.WebSecret, new System.Collections.Generic.Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = OAuthServers.UserName,
            ["password"] = servers.Password,
            ["scope"] = "orders:read",
        });
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("unsupported_grant_type", token.Error);
        Assert.Null(token.AccessToken);
    }

    [Fact]
    public async Task Wrong_code_verifier_is_refused()
    {
        var (browser, code, _) = await AuthorizeAsync();
        using (browser)
        {
            var token = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.WebRedirectUri, Pkce.Create().Verifier);
            Assert.Equal(HttpStatusCode.BadRequest, token.Status);
            Assert.Equal("invalid_grant", token.Error);
            Assert.Null(token.AccessToken);
        }
    }

    [Fact]
    public async Task Missing_code_verifier_is_refused()
    {
        var (browser, code, _) = await AuthorizeAsync();
        using (browser)
        {
            var token = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.WebRedirectUri, verifier: null);
            Assert.Equal(HttpStatusCode.BadRequest, token.Status);
            Assert.Null(token.AccessToken);
        }
    }

    [Fact]
    public async Task Reused_code_is_refused_and_revokes_what_it_issued()
    {
        var (browser, code, pkce) = await AuthorizeAsync("orders:read offline_access");
        using (browser)
        {
            var first = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.WebRedirectUri, pkce.Verifier);
            Assert.Equal(HttpStatusCode.OK, first.Status);

            var second = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.WebRedirectUri, pkce.Verifier);
            Assert.Equal(HttpStatusCode.BadRequest, second.Status);
            Assert.Equal("invalid_grant", second.Error);
            Assert.Null(second.AccessToken);

            // The replay revoked the tokens of the first redemption (RFC 6749 §4.1.2).
            var refresh = await OAuthFlows.RefreshAsync(browser, "orders-web", servers.WebSecret, first.RefreshToken!);
            Assert.Equal(HttpStatusCode.BadRequest, refresh.Status);
            Assert.Equal("invalid_grant", refresh.Error);
        }
    }

    [Fact]
    public async Task Code_issued_to_one_client_cannot_be_redeemed_by_another()
    {
        var (browser, code, pkce) = await AuthorizeAsync();
        using (browser)
        {
            var token = await OAuthFlows.RedeemCodeAsync(browser, "orders-spa", null, code, OAuthServers.WebRedirectUri, pkce.Verifier);
            Assert.Equal(HttpStatusCode.BadRequest, token.Status);
            Assert.Null(token.AccessToken);
        }
    }

    [Fact]
    public async Task Token_request_with_another_redirect_uri_is_refused()
    {
        var (browser, code, pkce) = await AuthorizeAsync();
        using (browser)
        {
            var token = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.SpaRedirectUri, pkce.Verifier);
            Assert.Equal(HttpStatusCode.BadRequest, token.Status);
            Assert.Null(token.AccessToken);
        }
    }

    [Theory]
    [InlineData("trailing slash", "http://127.0.0.1:8765/callback/")]
    [InlineData("case change", "http://127.0.0.1:8765/Callback")]
    [InlineData("scheme case change", "HTTP://127.0.0.1:8765/callback")]
    [InlineData("extra query", "http://127.0.0.1:8765/callback?next=https://evil.example")]
    [InlineData("path suffix", "http://127.0.0.1:8765/callback/evil")]
    [InlineData("path traversal", "http://127.0.0.1:8765/callback/../evil")]
    [InlineData("userinfo", "http://evil.example@127.0.0.1:8765/callback")]
    [InlineData("userinfo to another host", "http://127.0.0.1:8765@evil.example/callback")]
    [InlineData("fragment", "http://127.0.0.1:8765/callback#frag")]
    [InlineData("port change", "http://127.0.0.1:8766/callback")]
    [InlineData("default port", "http://127.0.0.1/callback")]
    [InlineData("host change", "http://localhost:8765/callback")]
    [InlineData("https instead of http", "https://127.0.0.1:8765/callback")]
    public async Task Redirect_uri_must_match_exactly(string variant, string redirectUri)
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var response = await browser.GetAsync(OAuthFlows.AuthorizeUrl("orders-web", redirectUri, "orders:read", pkce.Challenge));
        // Refused on the server itself: never a redirect (with or without a code) to an unregistered URI.
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{variant}: status {(int)response.StatusCode}, Location {response.Headers.Location}");
        await AssertRefusedAsync(response, "redirect_uri");
    }

    [Fact]
    public async Task Authorization_request_without_redirect_uri_is_refused_even_when_signed_in()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge), OAuthServers.UserName, servers.Password);

        string withoutRedirect = OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge)
            .Replace("&redirect_uri=" + Uri.EscapeDataString(OAuthServers.WebRedirectUri), "", StringComparison.Ordinal);
        Assert.DoesNotContain("redirect_uri", withoutRedirect, StringComparison.Ordinal);
        using var response = await browser.GetAsync(withoutRedirect);
        await AssertRefusedAsync(response, "'redirect_uri' parameter is missing");
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_are_refused()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.ClientCredentialsAsync(client, "orders-worker", servers.WebSecret, "orders:read");
        Assert.Equal(HttpStatusCode.Unauthorized, token.Status);
        Assert.Equal("invalid_client", token.Error);
        Assert.Null(token.AccessToken);
    }

    [Fact]
    public async Task Public_client_cannot_use_client_credentials()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.TokenAsync(client, "orders-spa", null, new System.Collections.Generic.Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "orders:read",
        });
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Null(token.AccessToken);
    }

    [Fact]
    public async Task Client_cannot_ask_for_a_scope_it_was_not_registered_for()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.ClientCredentialsAsync(client, "orders-writer", servers.WriterSecret, "orders:read");
        Assert.Equal(HttpStatusCode.BadRequest, token.Status);
        Assert.Equal("invalid_request", token.Error);
        Assert.Contains("not allowed to use the specified scope", token.Body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Null(token.AccessToken);
    }

    [Fact]
    public async Task Token_for_another_audience_is_rejected_by_the_api()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.ClientCredentialsAsync(client, "inventory-worker", servers.InventorySecret, "inventory:read");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal(["inventory-api"], new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.AccessToken).Audiences);

        // Same issuer, same key, valid signature: refused only because it was minted for another API.
        using var response = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_not_granted_is_forbidden_by_the_api()
    {
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.ClientCredentialsAsync(client, "orders-writer", servers.WriterSecret, "orders:write");
        Assert.Equal(HttpStatusCode.OK, token.Status);

        // A valid orders-api token without orders:read: authenticated, not allowed.
        using var response = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Code_flow_token_without_the_needed_scope_is_forbidden_by_the_api()
    {
        // The user consented to orders:write only (all the client asked for): the API refuses the orders:read endpoint.
        var (browser, code, pkce) = await AuthorizeAsync("orders:write");
        using (browser)
        {
            var token = await OAuthFlows.RedeemCodeAsync(browser, "orders-web", servers.WebSecret, code, OAuthServers.WebRedirectUri, pkce.Verifier);
            Assert.Equal(HttpStatusCode.OK, token.Status);
            using var response = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private async Task<(HttpClient Browser, string Code, Pkce Pkce)> AuthorizeAsync(string scope = "orders:read")
    {
        var pkce = Pkce.Create();
        var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var callback = await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, scope, pkce.Challenge), OAuthServers.UserName, servers.Password);
        return (browser, OAuthFlows.Query(callback)["code"], pkce);
    }

    // Refused by the authorization server itself: 400 with OpenIddict's error document, no redirect anywhere,
    // and so no code (an error redirect is only ever sent to a registered redirect URI).
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("error:invalid_request", body, StringComparison.Ordinal);
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }
}
