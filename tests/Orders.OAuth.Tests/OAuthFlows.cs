using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>A PKCE pair (RFC 7636): a random verifier and its S256 challenge.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        string verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        string challenge = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return new Pkce(verifier, challenge);
    }
}

/// <summary>A token endpoint answer: status plus the parsed JSON body.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public string? AccessToken => Body.TryGetProperty("access_token", out var v) ? v.GetString() : null;
    public string? RefreshToken => Body.TryGetProperty("refresh_token", out var v) ? v.GetString() : null;
    public string? Error => Body.TryGetProperty("error", out var v) ? v.GetString() : null;
}

/// <summary>
/// The client side of the flows, spoken over plain HTTP the way a browser and a client would: forms are
/// read from the served HTML (antiforgery token included), redirects are inspected instead of followed.
/// </summary>
public static partial class OAuthFlows
{
    public static string AuthorizeUrl(string clientId, string redirectUri, string scope, string? challenge, string? method = "S256",
        string state = "xyz-state", string responseType = "code")
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = responseType,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
        };
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
        }

        if (challenge is not null && method is not null)
        {
            query["code_challenge_method"] = method;
        }

        return QueryHelpers.AddQueryString("/connect/authorize", query);
    }

    /// <summary>Authorize → login page → sign in → consent page → allow; returns the redirect to the client.</summary>
    public static async Task<Uri> LoginAndConsentAsync(HttpClient browser, string authorizeUrl, string userName, string password)
    {
        var first = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var loginUrl = first.Headers.Location!;
        Assert.StartsWith("/account/login?", loginUrl.OriginalString);

        var loginPage = await browser.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var loginFields = HiddenFields(await loginPage.Content.ReadAsStringAsync());
        loginFields["username"] = userName;
        loginFields["password"] = password;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(loginFields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var consentPage = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, consentPage.StatusCode);
        var consentFields = HiddenFields(await consentPage.Content.ReadAsStringAsync());
        consentFields["decision"] = "accept";
        var consented = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(consentFields));
        Assert.Equal(HttpStatusCode.Redirect, consented.StatusCode);
        return consented.Headers.Location!;
    }

    public static IDictionary<string, string> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static Task<TokenResponse> RedeemCodeAsync(HttpClient client, string clientId, string? secret, string code, string redirectUri, string? verifier) =>
        TokenAsync(client, clientId, secret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier ?? "",
        }.Where(p => p.Value.Length > 0).ToDictionary());

    public static Task<TokenResponse> RefreshAsync(HttpClient client, string clientId, string? secret, string refreshToken) =>
        TokenAsync(client, clientId, secret, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    public static Task<TokenResponse> ClientCredentialsAsync(HttpClient client, string clientId, string secret, string scope) =>
        TokenAsync(client, clientId, secret, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope });

    /// <summary>A token request; a confidential client authenticates with HTTP Basic (client_secret_basic).</summary>
    public static async Task<TokenResponse> TokenAsync(HttpClient client, string clientId, string? secret, IDictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        if (secret is null)
        {
            form = new Dictionary<string, string>(form) { ["client_id"] = clientId };
        }
        else
        {
            string basic = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return new TokenResponse(response.StatusCode, JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement.Clone());
    }

    public static async Task<HttpResponseMessage> CallApiAsync(Uri api, string accessToken, string path = "/api/v1/me")
    {
        using var client = new HttpClient { BaseAddress = api };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.SendAsync(request);
    }

    /// <summary>The hidden inputs of the first form on a page (antiforgery token, the carried request).</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in HiddenInput().Matches(html))
        {
            fields[WebUtility.HtmlDecode(match.Groups[1].Value)] = WebUtility.HtmlDecode(match.Groups[2].Value);
        }

        return fields;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
