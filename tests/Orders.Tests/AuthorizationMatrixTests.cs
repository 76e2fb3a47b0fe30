using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Hosting;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The authorization matrix (issue 4, point 7): every endpoint the generated map registers, enumerated
/// from its <see cref="SecureEndpointMetadata"/>, is called with no token (401), with tokens that each
/// lack one declared permission (403 <c>insufficient_scope</c>) and with exactly the declared permissions
/// (neither 401 nor 403); explicitly anonymous endpoints must answer anonymous callers. New endpoints are
/// covered automatically: each request is derived from the endpoint's metadata (route parameters filled in,
/// an empty JSON object as the body of POST/PUT/PATCH), which is all authorization needs since it runs before
/// binding; <see cref="HandlerRequests"/> only makes the authorized call reach the handler where it can. The
/// test fails if any enumerated endpoint was not exercised, or if a table entry names no endpoint.
/// </summary>
public sealed class AuthorizationMatrixTests(OrdersFactory factory) : IClassFixture<OrdersFactory>
{
    private const string RouteValue = "00000000-0000-0000-0000-000000000001";

    /// <summary>Requests that reach the handler when authorized (path with route values, body), where known.</summary>
    private static readonly Dictionary<string, (string Path, string? Body)> HandlerRequests = new(StringComparer.Ordinal)
    {
        ["GET /health"] = ("/health", null),
        ["GET /api/v1/me"] = ("/api/v1/me", null),
        ["GET /api/v1/admin/users"] = ("/api/v1/admin/users", null),
        ["GET /api/v1/search"] = ("/api/v1/search?q=ABCD", null),
        ["GET /api/v1/orders/{id}"] = ("/api/v1/orders/" + RouteValue, null),
        ["POST /api/v1/orders"] = ("/api/v1/orders", """{"productId":"MATRIX01","quantity":1}"""),
    };

    private List<SecureEndpointMetadata> Endpoints()
    {
        _ = factory.CreateClient();
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<SecureEndpointMetadata>())
            .OfType<SecureEndpointMetadata>()
            .ToList();
    }

    // The endpoint's request: from the table, else derived from its route template and method.
    private static (string Path, string? Body) RequestFor(SecureEndpointMetadata endpoint, bool derivedOnly = false)
    {
        if (!derivedOnly && HandlerRequests.TryGetValue(Key(endpoint), out var known))
        {
            return known;
        }

        string path = System.Text.RegularExpressions.Regex.Replace(endpoint.Route, "\\{[^}]+\\}", RouteValue);
        return (path, endpoint.Method is "POST" or "PUT" or "PATCH" ? "{}" : null);
    }

    private async Task<HttpResponseMessage> SendAsync(SecureEndpointMetadata endpoint, string? token, bool derivedOnly = false)
    {
        var (path, body) = RequestFor(endpoint, derivedOnly);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string Key(SecureEndpointMetadata endpoint) => endpoint.Method + " " + endpoint.Route;

    private string Token(params string[] permissions) => TestTokens.Issue(factory.Services, "matrix-user", permissions);

    [Fact]
    public async Task Every_endpoint_enforces_its_declared_access()
    {
        var endpoints = Endpoints();
        Assert.NotEmpty(endpoints);

        // The table names only endpoints that exist (a renamed route must not leave a dead entry behind).
        var keys = endpoints.Select(Key).ToHashSet(StringComparer.Ordinal);
        var stale = HandlerRequests.Keys.Where(k => !keys.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Handler requests for endpoints that no longer exist: " + string.Join(", ", stale));

        var exercised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            string key = Key(endpoint);
            if (endpoint.AllowAnonymous)
            {
                Assert.Empty(endpoint.Permissions);
                using var anonymous = await SendAsync(endpoint, token: null);
                Assert.True(anonymous.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{key} anonymous: {anonymous.StatusCode}");
                exercised.Add(key);
                continue;
            }

            // No token: 401 with a bare Bearer challenge and a problem body.
            using (var response = await SendAsync(endpoint, token: null))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key} without a token: {response.StatusCode}");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
                await AssertProblemAsync(response, 401);
            }

            if (endpoint.Permissions.Count == 0)
            {
                // RequireAuthentication: any signed-in caller, whatever its permissions.
                using var signedIn = await SendAsync(endpoint, Token());
                Assert.True(signedIn.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{key} signed in without permissions: {signedIn.StatusCode}");
                exercised.Add(key);
                continue;
            }

            // A valid token without any permission, then with all declared permissions but one.
            var lacking = new List<string[]> { Array.Empty<string>() };
            lacking.AddRange(endpoint.Permissions.Select(missing => endpoint.Permissions.Where(p => p != missing).ToArray()));
            foreach (var granted in lacking)
            {
                using var response = await SendAsync(endpoint, Token(granted));
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{key} with [{string.Join(" ", granted)}]: {response.StatusCode}");
                Assert.Equal($"Bearer error=\"insufficient_scope\", scope=\"{string.Join(" ", endpoint.Permissions)}\"", response.Headers.WwwAuthenticate.ToString());
                await AssertProblemAsync(response, 403);
            }

            // Exactly the declared permissions: through authorization (the handler's own status follows).
            using (var response = await SendAsync(endpoint, Token(endpoint.Permissions.ToArray())))
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{key} with exactly its permissions: {response.StatusCode}");
            }

            exercised.Add(key);
        }

        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), exercised.OrderBy(k => k, StringComparer.Ordinal));
    }

    // What a new endpoint without a table entry gets: the derived request must reach authorization on
    // every current endpoint, so the matrix above covers endpoints nobody wrote a request for.
    [Fact]
    public async Task Derived_requests_reach_the_authorization_of_every_endpoint()
    {
        foreach (var endpoint in Endpoints())
        {
            using var anonymous = await SendAsync(endpoint, token: null, derivedOnly: true);
            using var unprivileged = await SendAsync(endpoint, Token(), derivedOnly: true);
            if (endpoint.AllowAnonymous)
            {
                Assert.True(anonymous.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{Key(endpoint)}: {anonymous.StatusCode}");
                continue;
            }

            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{Key(endpoint)} derived, anonymous: {anonymous.StatusCode}");
            var expected = endpoint.Permissions.Count == 0 ? "not 401/403" : "403";
            bool ok = endpoint.Permissions.Count == 0
                ? unprivileged.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                : unprivileged.StatusCode == HttpStatusCode.Forbidden;
            Assert.True(ok, $"{Key(endpoint)} derived, no permission: {unprivileged.StatusCode}, expected {expected}");
        }
    }

    [Fact]
    public async Task The_sample_declares_the_permissions_of_the_issue()
    {
        var byKey = Endpoints().ToDictionary(Key);
        Assert.Equal(["admin:read"], byKey["GET /api/v1/admin/users"].Permissions);
        Assert.Equal(["orders:write"], byKey["POST /api/v1/orders"].Permissions);
        Assert.Equal(["orders:read"], byKey["GET /api/v1/orders/{id}"].Permissions);
        Assert.Equal(["orders:read"], byKey["GET /api/v1/search"].Permissions);
        Assert.True(byKey["GET /health"].AllowAnonymous);

        using var client = factory.CreateClient().WithToken(factory.Services, "carol", "admin:read");
        using var response = await client.GetAsync("/api/v1/admin/users", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(body.RootElement.GetProperty("total").GetInt32(), body.RootElement.GetProperty("items").GetArrayLength());
        Assert.Contains(body.RootElement.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetString() == "carol");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));
    }
}
