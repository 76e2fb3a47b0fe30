using System;
using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Authentication;

namespace Orders.Tests;

/// <summary>Access tokens from the sample's own issuer (its Development key), for tests that call protected endpoints.</summary>
internal static class TestTokens
{
    /// <summary>The permissions of a client that may use every orders endpoint.</summary>
    public static readonly string[] OrdersUser = ["orders:read", "orders:write"];

    public static string Issue(IServiceProvider services, string subject, params string[] permissions) =>
        services.GetRequiredService<ITokenIssuer>().Issue(subject, permissions).Token;

    /// <summary>Sends a bearer token for <paramref name="subject"/> with <paramref name="permissions"/> on every request.</summary>
    public static HttpClient WithToken(this HttpClient client, IServiceProvider services, string subject, params string[] permissions)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issue(services, subject, permissions));
        return client;
    }
}
