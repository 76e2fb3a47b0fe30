using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// Authorization in the sample, from the caller's side: security events for 401/403 name the user, the
/// endpoint and the missing permission; the permission hierarchy (<c>admin:*</c> implies <c>admin:read</c>)
/// grants nothing else and nothing by prefix; endpoints mapped outside Rampart are closed to anonymous
/// callers by the fallback policy unless they opt out.
/// </summary>
public sealed class AuthorizationTests : IDisposable
{
    private readonly ConcurrentQueue<(EventId Id, string Category, string Message)> _logs = new();
    private readonly WebApplicationFactory<Program> _factory;

    public AuthorizationTests()
    {
        _factory = new OrdersFactory().WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddLogging(logging => logging.AddProvider(new CapturingProvider(_logs)))));
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpResponseMessage> GetAsync(string path, string? subject, params string[] permissions)
    {
        var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (subject is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(_factory.Services, subject, permissions));
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_denied_permission_is_a_security_event_with_user_endpoint_and_missing_permission()
    {
        using var response = await GetAsync("/api/v1/admin/users", "mallory", "orders:read", "orders:write");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"admin:read\"", response.Headers.WwwAuthenticate.ToString());
        var denied = Assert.Single(_logs, l => l.Id.Id == SecurityEvents.PermissionDeniedId);
        Assert.Equal(SecurityEvents.Category, denied.Category);
        Assert.Contains("mallory", denied.Message);
        Assert.Contains("GET /api/v1/admin/users", denied.Message);
        Assert.Contains("missing admin:read", denied.Message);
    }

    [Fact]
    public async Task A_missing_token_is_a_security_event_with_the_endpoint()
    {
        using var response = await GetAsync("/api/v1/admin/users", subject: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var required = Assert.Single(_logs, l => l.Id.Id == SecurityEvents.AuthenticationRequiredId);
        Assert.Contains("GET /api/v1/admin/users", required.Message);
    }

    [Theory]
    [InlineData("admin:*", HttpStatusCode.OK)]
    [InlineData("admin:read", HttpStatusCode.OK)]
    [InlineData("admin:rea", HttpStatusCode.Forbidden)]
    [InlineData("admin:read2", HttpStatusCode.Forbidden)]
    [InlineData("admin:readx admin:", HttpStatusCode.Forbidden)]
    [InlineData("ADMIN:READ", HttpStatusCode.Forbidden)]
    [InlineData("admin:write", HttpStatusCode.Forbidden)]
    [InlineData("orders:*", HttpStatusCode.Forbidden)]
    public async Task The_hierarchy_grants_exactly_what_it_lists(string scope, HttpStatusCode expected)
    {
        using var response = await GetAsync("/api/v1/admin/users", "carol", scope.Split(' '));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Admin_wildcard_does_not_imply_another_resource()
    {
        using var response = await GetAsync("/api/v1/search?q=ABC", "carol", "admin:*");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(_logs, l => l.Id.Id == SecurityEvents.PermissionDeniedId && l.Message.Contains("missing orders:read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_mapped_outside_Rampart_needs_an_authenticated_caller()
    {
        using var anonymous = await GetAsync("/internal/status", subject: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.True(anonymous.Headers.Contains("X-Content-Type-Options"));
        Assert.Contains(_logs, l => l.Id.Id == SecurityEvents.AuthenticationRequiredId && l.Message.Contains("/internal/status", StringComparison.Ordinal));

        using var authenticated = await GetAsync("/internal/status", "alice");
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Equal("running", await authenticated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Only_endpoints_outside_Rampart_go_through_the_authorization_middleware()
    {
        // Rampart's endpoints authorize inline; evaluating the fallback policy for them as well would cost
        // a policy evaluation per request. Count the evaluations: none for a Rampart endpoint, one outside.
        var counter = new CountingPolicyEvaluator();
        using var factory = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator>(sp =>
                counter.Wrap(Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Microsoft.AspNetCore.Authorization.Policy.PolicyEvaluator>(sp)))));
        var client = factory.CreateClient();
        string token = TestTokens.Issue(factory.Services, "alice", "orders:read");

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, counter.Evaluations);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/internal/status"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, counter.Evaluations);
    }

    private sealed class CountingPolicyEvaluator
    {
        private int _evaluations;

        public int Evaluations => Volatile.Read(ref _evaluations);

        public Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator Wrap(Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator inner) => new Counting(inner, this);

        private sealed class Counting(Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator inner, CountingPolicyEvaluator owner) : Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator
        {
            public Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> AuthenticateAsync(Microsoft.AspNetCore.Authorization.AuthorizationPolicy policy, Microsoft.AspNetCore.Http.HttpContext context)
            {
                Interlocked.Increment(ref owner._evaluations);
                return inner.AuthenticateAsync(policy, context);
            }

            public Task<Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult> AuthorizeAsync(Microsoft.AspNetCore.Authorization.AuthorizationPolicy policy, Microsoft.AspNetCore.Authentication.AuthenticateResult authenticationResult, Microsoft.AspNetCore.Http.HttpContext context, object? resource) =>
                inner.AuthorizeAsync(policy, authenticationResult, context, resource);
        }
    }

    [Fact]
    public async Task An_endpoint_mapped_outside_Rampart_with_AllowAnonymous_stays_open()
    {
        using var response = await GetAsync("/ready", subject: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_invalid_token_on_an_endpoint_outside_Rampart_is_rejected_by_authentication()
    {
        var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task The_fallback_policy_can_be_turned_off_in_configuration()
    {
        using var factory = _factory.WithWebHostBuilder(builder => builder.UseSetting("Rampart:Authorization:RequireAuthenticatedUserByDefault", "false"));
        using var response = await factory.CreateClient().GetAsync("/internal/status", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Routing_answers_stay_404_and_405_for_anonymous_callers()
    {
        using var missing = await GetAsync("/api/v1/nothing-here", subject: null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var client = _factory.CreateClient();
        using var wrongMethod = await client.DeleteAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    private sealed class CapturingProvider(ConcurrentQueue<(EventId, string, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(EventId, string, string)> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((eventId, category, formatter(state, exception)));
        }
    }
}
