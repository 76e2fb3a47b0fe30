using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>The login and consent pages from the attacker's side: forgery, framing, open redirects, enumeration.</summary>
public sealed class LoginPageTests(OAuthServers servers)
{
    [Fact]
    public async Task Pages_carry_the_security_headers()
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var page = await browser.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=x"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.False(page.Headers.Contains("Server"));
        string html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Consent_page_allows_form_posts_only_to_itself_and_the_clients_redirect_origin()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        var consent = await SignInAsync(browser, OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge));
        string csp = consent.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"form-action 'self' {OAuthServers.CallbackOrigin};", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_antiforgery_token_is_refused()
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = OAuthServers.UserName,
            ["password"] = servers.Password,
            ["returnUrl"] = "/connect/authorize?client_id=orders-web",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("__orders_login", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Consent_without_antiforgery_token_issues_no_code()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        string authorize = OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge);
        var consent = await SignInAsync(browser, authorize);
        var fields = OAuthFlows.HiddenFields(await consent.Content.ReadAsStringAsync());
        fields.Remove("__RequestVerificationToken");
        fields["decision"] = "accept";

        // A cross-site form post riding on the login cookie: refused.
        using var forged = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
    }

    [Fact]
    public async Task A_signed_in_users_get_request_shows_consent_and_never_issues_a_code()
    {
        var pkce = Pkce.Create();
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        string authorize = OAuthFlows.AuthorizeUrl("orders-web", OAuthServers.WebRedirectUri, "orders:read", pkce.Challenge);
        await SignInAsync(browser, authorize);

        // An attacker's link or image to the authorization endpoint: the page, not a code.
        using var again = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Null(again.Headers.Location);
        Assert.Contains("id=\"accept\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/connect/authorize")]
    [InlineData("/\\evil.example")]
    [InlineData("/account/login")]
    public async Task Login_return_url_is_only_the_authorization_endpoint(string returnUrl)
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var page = await browser.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);

        // Even with a valid antiforgery token and password, the POST redirects nowhere else.
        using var form = await browser.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=orders-web"));
        var fields = OAuthFlows.HiddenFields(await form.Content.ReadAsStringAsync());
        fields["returnUrl"] = returnUrl;
        fields["username"] = OAuthServers.UserName;
        fields["password"] = servers.Password;
        using var posted = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("mallory", "any-password")]
    public async Task Failed_login_says_the_same_for_unknown_users_and_wrong_passwords(string userName, string password)
    {
        using var browser = OAuthServers.NewBrowserlessClient(servers.AuthServer);
        using var form = await browser.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=orders-web"));
        var fields = OAuthFlows.HiddenFields(await form.Content.ReadAsStringAsync());
        fields["username"] = userName;
        fields["password"] = password;
        using var posted = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
        Assert.Contains("The user name or password is incorrect.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(posted.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("__orders_login", StringComparison.Ordinal)));
    }

    private async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string authorizeUrl)
    {
        var first = await browser.GetAsync(authorizeUrl);
        var login = await browser.GetAsync(first.Headers.Location);
        var fields = OAuthFlows.HiddenFields(await login.Content.ReadAsStringAsync());
        fields["username"] = OAuthServers.UserName;
        fields["password"] = servers.Password;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var consent = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        return consent;
    }
}
