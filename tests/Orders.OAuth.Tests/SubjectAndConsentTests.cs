using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>
/// What a token may carry: consent grants a client only the requested scopes the user holds, and a client's
/// subject can never be a user's (client-credentials tokens carry <c>sub = client:{client_id}</c>; user subjects
/// starting with <c>client:</c> are refused at start-up), end to end through the Orders API.
/// </summary>
public sealed class SubjectAndConsentTests(OAuthServers servers)
{
    private async Task<TokenResponse> ConsentAsync(string user, string password, string clientId, string secret, string scope)
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var callback = await OAuthFlows.LoginAndConsentAsync(browser,
            OAuthFlows.AuthorizeUrl(clientId, OAuthServers.WebRedirectUri, scope, pkce.Challenge), user, password);
        return await OAuthFlows.RedeemCodeAsync(browser, clientId, secret, OAuthFlows.Query(callback)["code"], OAuthServers.WebRedirectUri, pkce.Verifier);
    }

    [Fact]
    public async Task Consent_grants_only_the_requested_scopes_the_user_holds()
    {
        // alice holds orders:read and orders:write, not admin:read; the client may ask for admin:read.
        var alice = await ConsentAsync(OAuthServers.UserName, servers.Password, "orders-console", servers.ConsoleSecret, "orders:read admin:read");
        Assert.Equal(HttpStatusCode.OK, alice.Status);
        Assert.Equal("orders:read", new JsonWebToken(alice.AccessToken).GetClaim("scope").Value);
        Assert.Equal("orders:read", alice.Body.GetProperty("scope").GetString());   // RFC 6749 §5.1: the granted scope differs
        using (var denied = await OAuthFlows.CallApiAsync(servers.Api, alice.AccessToken!, "/api/v1/admin/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        // carol holds admin:read: the same client gets it for her.
        var carol = await ConsentAsync(OAuthServers.AdminUserName, servers.AdminPassword, "orders-console", servers.ConsoleSecret, "orders:read admin:read");
        Assert.Equal("orders:read admin:read", new JsonWebToken(carol.AccessToken).GetClaim("scope").Value);
        using var allowed = await OAuthFlows.CallApiAsync(servers.Api, carol.AccessToken!, "/api/v1/admin/users");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task The_consent_page_shows_only_what_will_be_granted()
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        string consent = await (await AuthorizeAsAliceAsync(browser, "orders:read admin:read")).Content.ReadAsStringAsync();

        string granted = consent[consent.IndexOf("<ul id=\"scopes\">", StringComparison.Ordinal)..];
        granted = granted[..granted.IndexOf("</ul>", StringComparison.Ordinal)];
        Assert.Contains("<li>orders:read</li>", granted, StringComparison.Ordinal);
        Assert.DoesNotContain("admin:read", granted, StringComparison.Ordinal);
        Assert.Contains("id=\"withheld\"", consent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_for_nothing_the_user_holds_is_denied()
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);

        // No consent page: straight back to the client with access_denied, and no code.
        var answer = await AuthorizeAsAliceAsync(browser, "admin:read");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var parameters = OAuthFlows.Query(answer.Headers.Location!);
        Assert.Equal("access_denied", parameters["error"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task A_client_named_like_a_user_gets_a_client_subject_and_none_of_the_user_s_orders()
    {
        // alice (subject user-alice) places an order through the web client.
        var alice = await ConsentAsync(OAuthServers.UserName, servers.Password, "orders-web", servers.WebSecret, "orders:read orders:write");
        Assert.Equal("user-alice", new JsonWebToken(alice.AccessToken).Subject);
        string id;
        using (var create = await SendAsync(HttpMethod.Post, "/api/v1/orders", alice.AccessToken!, """{"productId":"ALICE001","quantity":2}"""))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            id = (await create.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        // A client registered as "user-alice" authenticates with its own secret.
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var impostor = await OAuthFlows.ClientCredentialsAsync(client, OAuthServers.ImpostorClientId, servers.ImpostorSecret, "orders:read orders:write");
        Assert.Equal(HttpStatusCode.OK, impostor.Status);
        using (var read = await SendAsync(HttpMethod.Get, "/api/v1/orders/" + id, impostor.AccessToken!))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        var jwt = new JsonWebToken(impostor.AccessToken);
        Assert.Equal("client:" + OAuthServers.ImpostorClientId, jwt.Subject);
        Assert.Equal(OAuthServers.ImpostorClientId, jwt.GetClaim("client_id").Value);

        using (var delete = await SendAsync(HttpMethod.Delete, "/api/v1/orders/" + id, impostor.AccessToken!))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        using var mine = await SendAsync(HttpMethod.Get, "/api/v1/orders/" + id, alice.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task A_user_subject_in_the_client_namespace_is_refused_at_start_up()
    {
        string dataPath = Path.Combine(Path.GetTempPath(), "rampart-oauth-subject-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dataPath, "content"));
        try
        {
            foreach (var (subject, userName) in new[] { ("client:orders-worker", "mallory"), (null, "Client:orders-worker") })
            {
                var environment = new Dictionary<string, string>
                {
                    ["AuthServer__DataPath"] = dataPath,
                    ["AuthServer__Resources__0__Name"] = "orders-api",
                    ["AuthServer__Resources__0__Scopes__0"] = "orders:read",
                    ["AuthServer__Users__0__UserName"] = userName,
                    ["AuthServer__Users__0__Password"] = "development-only-password",
                };
                if (subject is not null)
                {
                    environment["AuthServer__Users__0__Subject"] = subject;
                }

                var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
                {
                    await using var server = await ServerProcess.StartAsync(OAuthServers.Metadata("AuthServerAssembly"), Path.Combine(dataPath, "content"), environment);
                });
                Assert.Contains("client:", failure.Message, StringComparison.Ordinal);
                Assert.Contains("reserved for clients", failure.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dataPath, recursive: true);
            }
            catch (IOException)
            {
                // Still held by a stopping server: the temp folder is cleaned by the OS.
            }
        }
    }

    // orders-console asks for scope; alice signs in on the login page; the answer of the authorization endpoint then.
    private async Task<HttpResponseMessage> AuthorizeAsAliceAsync(HttpClient browser, string scope)
    {
        string authorize = OAuthFlows.AuthorizeUrl("orders-console", OAuthServers.WebRedirectUri, scope, Pkce.Create().Challenge);
        using var login = await browser.GetAsync(authorize);
        using var page = await browser.GetAsync(login.Headers.Location);
        var fields = OAuthFlows.HiddenFields(await page.Content.ReadAsStringAsync());
        fields["username"] = OAuthServers.UserName;
        fields["password"] = servers.Password;
        using var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return await browser.GetAsync(signedIn.Headers.Location);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, string? json = null)
    {
        using var client = new HttpClient { BaseAddress = servers.Api };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }
}
