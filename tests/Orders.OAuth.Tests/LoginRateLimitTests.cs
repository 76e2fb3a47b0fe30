using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>Online password guessing: sign-in attempts are limited per client address (a server of its own, limit 3).</summary>
public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task Fourth_sign_in_attempt_in_a_minute_gets_429_even_with_the_right_password()
    {
        string dataPath = Path.Combine(Path.GetTempPath(), "rampart-oauth-limit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dataPath, "content"));
        string password = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        try
        {
            await CheckAsync(dataPath, password);
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

    private static async Task CheckAsync(string dataPath, string password)
    {
        await using var server = await ServerProcess.StartAsync(OAuthServers.Metadata("AuthServerAssembly"), Path.Combine(dataPath, "content"),
            new Dictionary<string, string>
            {
                ["AuthServer__DataPath"] = dataPath,
                ["AuthServer__LoginAttemptsPerMinute"] = "3",
                ["AuthServer__Resources__0__Name"] = "orders-api",
                ["AuthServer__Resources__0__Scopes__0"] = "orders:read",
                ["AuthServer__Users__0__UserName"] = "alice",
                ["AuthServer__Users__0__Password"] = password,   // Development only
            });
        using var browser = OAuthServers.NewBrowserlessClient(server.Address);
        string returnUrl = "/account/login?returnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=x");

        for (int attempt = 1; attempt <= 3; attempt++)
        {
            using var refused = await PostLoginAsync(browser, returnUrl, "wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await PostLoginAsync(browser, returnUrl, password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Null(limited.Headers.Location);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string loginPage, string password)
    {
        using var form = await browser.GetAsync(loginPage);
        var fields = OAuthFlows.HiddenFields(await form.Content.ReadAsStringAsync());
        fields["username"] = "alice";
        fields["password"] = password;
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }
}
