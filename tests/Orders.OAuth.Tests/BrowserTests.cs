using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>
/// The login and consent pages in a real headless Chromium (Debian's <c>chromium</c> package, driven by
/// Playwright with the system browser as its executable; <c>.ci/setup-oauth.sh</c> installs it).
/// </summary>
public sealed class BrowserTests(OAuthServers servers)
{
    [Fact]
    public async Task User_signs_in_and_consents_in_chromium_and_the_client_completes_code_and_pkce()
    {
        var pkce = Pkce.Create();
        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;

        var response = await page.GotoAsync(new Uri(servers.AuthServer,
            OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge, state: "browser-state")).ToString());
        Assert.NotNull(response);
        Assert.StartsWith(new Uri(servers.AuthServer, "/account/login").ToString(), page.Url, StringComparison.Ordinal);
        // The page as served: never framed, no script anywhere.
        var headers = await response.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);

        await page.FillAsync("#username", OAuthServers.UserName);
        await page.FillAsync("#password", servers.Password);
        await page.ClickAsync("#sign-in");

        await page.WaitForSelectorAsync("#accept");
        Assert.Equal("orders-web", await page.TextContentAsync("#client"));
        Assert.Equal("orders:read", (await page.TextContentAsync("#scopes"))?.Trim());
        await page.ClickAsync("#accept");

        await page.WaitForURLAsync(OAuthServers.WebRedirectUri + "?**");
        var callback = new Uri(page.Url);
        var parameters = OAuthFlows.Query(callback);
        Assert.Equal("browser-state", parameters["state"]);
        Assert.Equal(servers.Issuer, parameters["iss"]);

        // The client's back channel: code + verifier → token → Orders API.
        using var client = new HttpClient { BaseAddress = servers.AuthServer };
        var token = await OAuthFlows.RedeemCodeAsync(client, "orders-web", servers.WebSecret, parameters["code"], OAuthServers.WebRedirectUri, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        using var me = await OAuthFlows.CallApiAsync(servers.Api, token.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("user-alice", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Wrong_password_and_denied_consent_issue_no_code()
    {
        var pkce = Pkce.Create();
        await using var session = await BrowserSession.StartAsync();
        var page = session.Page;
        await page.GotoAsync(new Uri(servers.AuthServer,
            OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge)).ToString());

        await page.FillAsync("#username", OAuthServers.UserName);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#sign-in");
        Assert.Equal("The user name or password is incorrect.", await page.TextContentAsync("#error"));

        await page.FillAsync("#username", OAuthServers.UserName);
        await page.FillAsync("#password", servers.Password);
        await page.ClickAsync("#sign-in");
        await page.ClickAsync("#deny");

        await page.WaitForURLAsync(OAuthServers.WebRedirectUri + "?**");
        var parameters = OAuthFlows.Query(new Uri(page.Url));
        Assert.Equal("access_denied", parameters["error"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    /// <summary>One headless Chromium with a fresh context; the client's redirect URI is answered in the browser.</summary>
    private sealed class BrowserSession : IAsyncDisposable
    {
        private IPlaywright playwright = null!;
        private IBrowser browser = null!;

        public IPage Page { get; private set; } = null!;

        public static async Task<BrowserSession> StartAsync()
        {
            string executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException($"Chromium not found at {executable}: run .ci/setup-oauth.sh (apt-get install -y chromium) or set CHROMIUM_PATH.");
            }

            var session = new BrowserSession();
            session.playwright = await Playwright.CreateAsync();
            // The system browser: downloading Playwright's own build is not possible here.
            session.browser = await session.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
            var context = await session.browser.NewContextAsync();
            // Nothing listens on the client's redirect URI: the browser answers it, keeping the URL.
            await context.RouteAsync(OAuthServers.CallbackOrigin + "/**", route =>
                route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/plain", Body = "client callback" }));
            session.Page = await context.NewPageAsync();
            return session;
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
