using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>
/// The authorization server's sign-in limits from the attacker's side (issue 16, item 6), on a server of its
/// own. The client address comes from <c>X-Forwarded-For</c> (ASP.NET Core's <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>
/// switch, which trusts any proxy: a test stand-in for distinct client addresses on one loopback connection).
/// </summary>
public sealed class LoginThrottleTests
{
    private const string LoginPage = "/account/login?returnUrl=%2Fconnect%2Fauthorize%3Fclient_id%3Dx";

    [Fact]
    public async Task The_sign_in_limit_counts_a_whole_ipv6_64_and_another_64_has_its_own()
    {
        await WithServerAsync(loginAttemptsPerMinute: 3, async (browser, _) =>
        {
            // Three hosts of one /64 spend its quota; a fourth host of that /64 is refused.
            for (int host = 1; host <= 3; host++)
            {
                using var refused = await PostLoginAsync(browser, $"2001:db8:1:2::{host}", "guess" + host, "wrong-password");
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using var limited = await PostLoginAsync(browser, "2001:db8:1:2::4", "guess4", "wrong-password");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

            // Another /64 has its own quota.
            using var other = await PostLoginAsync(browser, "2001:db8:1:3::1", "guess5", "wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        });
    }

    [Fact]
    public async Task Guesses_at_one_account_from_many_addresses_lock_it_and_unknown_names_lock_the_same_way()
    {
        await WithServerAsync(loginAttemptsPerMinute: 1000, async (browser, password) =>
        {
            for (int i = 1; i <= 5; i++)
            {
                using var wrong = await PostLoginAsync(browser, $"2001:db8:{i}::1", "alice", "wrong-" + i);
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                using var unknown = await PostLoginAsync(browser, $"2001:db8:{i}::2", "nobody-here", "wrong-" + i);
                Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            }

            // The account is locked: the right password is refused, no login cookie, no redirect.
            using var locked = await PostLoginAsync(browser, "2001:db8:99::1", "alice", password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Null(locked.Headers.Location);
            Assert.Equal("60", locked.Headers.RetryAfter?.ToString());
            Assert.DoesNotContain(locked.Headers, h => h.Key == "Set-Cookie" && string.Join(";", h.Value).Contains("__orders_login", StringComparison.Ordinal));

            // A name that does not exist is locked the same way, with the same message.
            using var lockedUnknown = await PostLoginAsync(browser, "2001:db8:99::2", "nobody-here", password);
            Assert.Equal(HttpStatusCode.TooManyRequests, lockedUnknown.StatusCode);
            Assert.Equal("60", lockedUnknown.Headers.RetryAfter?.ToString());
            Assert.Equal(ErrorText(await locked.Content.ReadAsStringAsync()), ErrorText(await lockedUnknown.Content.ReadAsStringAsync()));

            // Another account is not affected.
            using var otherName = await PostLoginAsync(browser, "2001:db8:99::3", "carol", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, otherName.StatusCode);
        });
    }

    private static string ErrorText(string html)
    {
        int start = html.IndexOf("id=\"error\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page shows an error");
        int open = html.IndexOf('>', start) + 1;
        return html[open..html.IndexOf('<', open)];
    }

    private static async Task WithServerAsync(int loginAttemptsPerMinute, Func<HttpClient, string, Task> test)
    {
        string dataPath = Path.Combine(Path.GetTempPath(), "rampart-oauth-throttle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dataPath, "content"));
        string password = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        try
        {
            await using var server = await ServerProcess.StartAsync(OAuthServers.Metadata("AuthServerAssembly"), Path.Combine(dataPath, "content"),
                new Dictionary<string, string>
                {
                    ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
                    ["AuthServer__DataPath"] = dataPath,
                    ["AuthServer__LoginAttemptsPerMinute"] = loginAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["AuthServer__Resources__0__Name"] = "orders-api",
                    ["AuthServer__Resources__0__Scopes__0"] = "orders:read",
                    ["AuthServer__Users__0__UserName"] = "alice",
                    ["AuthServer__Users__0__Password"] = password,   // Development only
                    ["AuthServer__Users__1__UserName"] = "carol",
                    ["AuthServer__Users__1__Password"] = password + "-carol",
                });
            using var browser = OAuthServers.NewBrowserlessClient(server.Address);
            await test(browser, password);
        }
        finally
        {
            try
            {
                Directory.Delete(dataPath, recursive: true);
            }
            catch (IOException)
            {
                // Still held by the stopping server: the temp folder is cleaned by the OS.
            }
        }
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string clientAddress, string userName, string password)
    {
        using var form = await browser.GetAsync(LoginPage);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var fields = OAuthFlows.HiddenFields(await form.Content.ReadAsStringAsync());
        fields["username"] = userName;
        fields["password"] = password;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        return await browser.SendAsync(request);
    }
}
