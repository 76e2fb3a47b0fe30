using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Orders.Development;
using Rampart.Data.Tests;
using Rampart.Hosting;
using Rampart.Logging;
using Rampart.RateLimiting;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// A user who is removed, disabled, demoted or changes their password loses what they held at once: refresh
/// re-checks the user on every use (narrowing the scopes to what the user holds now), and a password change or
/// a removal revokes every refresh-token family and every access token of the user. On SQLite and PostgreSQL.
/// </summary>
public sealed class UserRevocationTests(PostgresServer postgres) : IDisposable
{
    private const string AlicePassword = "alice-test-password-7Q2x";
    private const string BobPassword = "bob-test-password-9Zk4";
    private const string CarolPassword = "carol-test-password-3Hn8";
    private static long s_requests;
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "orders-revocation-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<(string Category, EventId Id, string Message)> _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => new("sqlite", "postgres");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    // alice: orders:read orders:write; bob: orders:read; carol: an administrator.
    private async Task<WebApplicationFactory<Program>> FactoryAsync(string provider)
    {
        string? postgresDatabase = provider == "postgres" ? await postgres.CreateDatabaseAsync() : null;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(DevelopmentSigningKey.DataPathKey, _dataPath);
            builder.UseSetting("Rampart:Data:DataDirectory", _dataPath);
            if (postgresDatabase is not null)
            {
                builder.UseSetting("Rampart:Data:Provider", "PostgreSql");
                builder.UseSetting("Rampart:Data:ConnectionString", postgresDatabase);
            }

            builder.UseSetting("Orders:SeedUsers:0:Password", AlicePassword);
            builder.UseSetting("Orders:SeedUsers:1:UserName", "bob");
            builder.UseSetting("Orders:SeedUsers:1:Password", BobPassword);
            builder.UseSetting("Orders:SeedUsers:1:Scope", "orders:read");
            builder.UseSetting("Orders:SeedUsers:2:UserName", "carol");
            builder.UseSetting("Orders:SeedUsers:2:Password", CarolPassword);
            builder.UseSetting("Orders:SeedUsers:2:Scope", "admin:* orders:read");
            builder.ConfigureTestServices(services =>
            {
                services.AddLogging(logging => logging.AddProvider(new CapturingProvider(_logs)));
                // Every request its own rate-limit partition: these tests are about revocation, not limits.
                services.PostConfigure<RampartOptions>(o => o.RateLimitPartition = _ =>
                    PartitionKey.ForCustom("revocation-" + Interlocked.Increment(ref s_requests).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            });
        });
    }

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, string? json, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string user, string password) =>
        SendJsonAsync(client, HttpMethod.Post, "/api/v1/auth/token", JsonSerializer.Serialize(new Dictionary<string, string> { ["userName"] = user, ["password"] = password }));

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        SendJsonAsync(client, HttpMethod.Post, "/api/v1/auth/refresh", JsonSerializer.Serialize(new Dictionary<string, string> { ["refresh_token"] = refreshToken }));

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string access, string current, string next) =>
        SendJsonAsync(client, HttpMethod.Post, "/api/v1/auth/password",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["currentPassword"] = current, ["newPassword"] = next }), access);

    private static async Task<Tokens> ReadTokensAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            var root = body.RootElement;
            return new Tokens(root.GetProperty("access_token").GetString()!, root.GetProperty("refresh_token").GetString()!, root.GetProperty("scope").GetString()!);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return response.StatusCode;
    }

    private static Task<HttpStatusCode> MeAsync(HttpClient client, string access) =>
        StatusAsync(SendJsonAsync(client, HttpMethod.Get, "/api/v1/me", null, access));

    private static Task<HttpStatusCode> CreateOrderAsync(HttpClient client, string access) =>
        StatusAsync(SendJsonAsync(client, HttpMethod.Post, "/api/v1/orders", """{"productId":"ABCD1234","quantity":1}""", access));

    private static async Task ExecuteAsync(WebApplicationFactory<Program> factory, string sql)
    {
        await using var command = factory.Services.GetRequiredService<DbDataSource>().CreateCommand(sql);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    private int Events(int id) => _logs.Count(l => l.Category == SecurityEvents.Category && l.Id.Id == id);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_deleted_user_cannot_refresh_and_the_login_is_revoked(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));

        await ExecuteAsync(factory, "DELETE FROM auth_users WHERE user_name = 'alice'");

        // The same answer as for a bad refresh token, and nothing was minted: no order can be created.
        using (var refused = await RefreshAsync(client, alice.Refresh))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(1, Events(AuthenticationEvents.RefreshRefusedId));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.RefreshRefusedId && l.Message.Contains("user_not_found", StringComparison.Ordinal));

        // The family is revoked with its access token; bob is untouched.
        Assert.Equal(HttpStatusCode.Unauthorized, await CreateOrderAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
        Assert.Equal("orders:read", (await ReadTokensAsync(await RefreshAsync(client, bob.Refresh))).Scope);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_disabled_user_can_neither_refresh_nor_log_in(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));

        await ExecuteAsync(factory, "UPDATE auth_users SET enabled = FALSE WHERE user_name = 'alice'");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, alice.Refresh)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.RefreshRefusedId && l.Message.Contains("user_disabled", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_demoted_user_gets_only_the_scopes_they_still_hold_on_refresh(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        Assert.Equal("orders:read orders:write", login.Scope);

        // Demoted, and given a permission the login never asked for.
        await ExecuteAsync(factory, "UPDATE auth_users SET scope = 'orders:read admin:read' WHERE user_name = 'alice'");

        var narrowed = await ReadTokensAsync(await RefreshAsync(client, login.Refresh));
        Assert.Equal("orders:read", narrowed.Scope);   // narrowed, never widened beyond the login's grant
        Assert.Equal("orders:read", new JsonWebToken(narrowed.Access).GetClaim("scope").Value);
        Assert.Equal(HttpStatusCode.Forbidden, await CreateOrderAsync(client, narrowed.Access));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, narrowed.Access));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(SendJsonAsync(client, HttpMethod.Get, "/api/v1/admin/users", null, narrowed.Access)));

        // Promoted back: the login's original grant is the ceiling, and it is reached again.
        await ExecuteAsync(factory, "UPDATE auth_users SET scope = 'orders:read orders:write' WHERE user_name = 'alice'");
        var restored = await ReadTokensAsync(await RefreshAsync(client, narrowed.Refresh));
        Assert.Equal("orders:read orders:write", restored.Scope);
        Assert.Equal(HttpStatusCode.Created, await CreateOrderAsync(client, restored.Access));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_password_change_revokes_every_token_of_the_user_at_once_and_the_new_password_works(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var first = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var second = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));   // another device
        var rotated = await ReadTokensAsync(await RefreshAsync(client, second.Refresh));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));
        const string NewPassword = "alice-new-password-5Rt1";

        // The current password is required.
        using (var wrong = await ChangePasswordAsync(client, first.Access, "not-" + AlicePassword, NewPassword))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, first.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(ChangePasswordAsync(client, "not-a-token", AlicePassword, NewPassword)));

        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(ChangePasswordAsync(client, first.Access, AlicePassword, NewPassword)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.SubjectRevokedId && l.Message.Contains("password_changed", StringComparison.Ordinal));

        // Every access token and refresh token of alice, of both logins, is refused at once.
        foreach (string access in new[] { first.Access, second.Access, rotated.Access })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, access));
        }

        foreach (string refresh in new[] { first.Refresh, rotated.Refresh })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, refresh)));
        }

        // The old password no longer works, the new one does, and its tokens are accepted at once.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
        var fresh = await ReadTokensAsync(await LoginAsync(client, "alice", NewPassword));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, fresh.Access));
        Assert.Equal(HttpStatusCode.Created, await CreateOrderAsync(client, fresh.Access));
        var freshRotated = await ReadTokensAsync(await RefreshAsync(client, fresh.Refresh));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, freshRotated.Access));

        // bob is untouched; no password reached a log line.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
        Assert.DoesNotContain(_logs, l => l.Message.Contains(NewPassword, StringComparison.Ordinal) || l.Message.Contains(AlicePassword, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_administrator_removes_a_user_and_everything_of_that_user_is_revoked(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));
        var carol = await ReadTokensAsync(await LoginAsync(client, "carol", CarolPassword));

        // Only an administrator may remove users.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(SendJsonAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", null, bob.Access)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SendJsonAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", null)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, alice.Access));

        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(SendJsonAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", null, carol.Access)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.SubjectRevokedId && l.Message.Contains("user_removed", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, alice.Refresh)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(SendJsonAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", null, carol.Access)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
    }

    private sealed record Tokens(string Access, string Refresh, string Scope);

    private sealed class CapturingProvider(ConcurrentQueue<(string, EventId, string)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(string, EventId, string)> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                string structured = string.Join(" ", values.Select(v => v.Key + "=" + Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)));
                logs.Enqueue((category, eventId, formatter(state, exception) + " " + structured));
            }
        }
    }
}
