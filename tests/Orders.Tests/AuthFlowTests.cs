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
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orders.Development;
using Rampart.Data.Tests;
using Rampart.Logging;
using Rampart.RateLimiting;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The sample's first-party login end to end over HTTP: POST /api/v1/auth/token, refresh rotation with
/// reuse detection (also under concurrent use), logout, the login's own rate limit and its
/// indistinguishable failures. On SQLite and on PostgreSQL (the users live in the application database,
/// next to the orders); users are seeded from configuration into a private data folder or database.
/// </summary>
public sealed partial class AuthFlowTests(PostgresServer postgres) : IDisposable
{
    private const string AlicePassword = "alice-test-password-7Q2x";
    private const string BobPassword = "bob-test-password-9Zk4";
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "orders-auth-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<(string Category, EventId Id, string Message)> _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    public static TheoryData<string> Providers => new("sqlite", "postgres");

    // The sample with its users on SQLite (in the private data folder) or on a new PostgreSQL database.
    // realRateLimits: the sample's rate limits (its login and refresh count per client address); otherwise no rate limit applies.
    // revocationDatabase: replaces orders.db (the revocation and refresh-token stores).
    private async Task<WebApplicationFactory<Program>> FactoryAsync(string provider, bool realRateLimits = false, string? revocationDatabase = null)
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
            if (revocationDatabase is not null)
            {
                builder.UseSetting("ConnectionStrings:Orders", revocationDatabase);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddLogging(logging => logging.AddProvider(new CapturingProvider(_logs)));
                if (!realRateLimits)
                {
                    // Credential endpoints count per address whatever the partitioner says, and the TestServer has none.
                    services.AddSingleton<IRateLimitStore>(new RateLimiterStore(
                        System.Threading.RateLimiting.PartitionedRateLimiter.Create<PartitionKey, int>(_ => System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter(0))));
                }
            });
        });
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string user, string password) =>
        PostJsonAsync(client, "/api/v1/auth/token", JsonSerializer.Serialize(new Dictionary<string, string> { ["userName"] = user, ["password"] = password }));

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        PostJsonAsync(client, "/api/v1/auth/refresh", JsonSerializer.Serialize(new Dictionary<string, string> { ["refresh_token"] = refreshToken }));

    private static async Task<Tokens> ReadTokensAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = body.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        return new Tokens(root.GetProperty("access_token").GetString()!, root.GetProperty("refresh_token").GetString()!,
            root.GetProperty("expires_in").GetInt64(), root.GetProperty("scope").GetString()!);
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient client, string accessToken, string path = "/api/v1/me")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private int Events(int id) => _logs.Count(l => l.Category == SecurityEvents.Category && l.Id.Id == id);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Login_calls_the_api_refreshes_and_logs_out(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();

        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        Assert.Equal(3600, login.ExpiresIn);
        Assert.Equal("orders:read orders:write", login.Scope);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, login.Access));
        Assert.Equal(1, Events(AuthenticationEvents.LoginSucceededId));

        var refreshed = await ReadTokensAsync(await RefreshAsync(client, login.Refresh));
        Assert.NotEqual(login.Refresh, refreshed.Refresh);
        Assert.Equal("orders:read orders:write", refreshed.Scope);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, refreshed.Access));

        using (var logout = await PostJsonAsync(client, "/api/v1/auth/logout", "{}", refreshed.Access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        // The access token is dead on every endpoint (the anonymous health probe included), and so is the family.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, refreshed.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, refreshed.Access, "/health"));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, login.Access)); // issued in the same family
        using var afterLogout = await RefreshAsync(client, refreshed.Refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        Assert.Equal(0, Events(AuthenticationEvents.RefreshReuseDetectedId));

        // Logging out needs a token.
        using var anonymous = await PostJsonAsync(client, "/api/v1/auth/logout", "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reusing_a_refresh_token_revokes_the_whole_login_and_logs_refresh_reuse(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var second = await ReadTokensAsync(await RefreshAsync(client, login.Refresh));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));

        // An attacker replays the first (stolen) refresh token.
        using (var replay = await RefreshAsync(client, login.Refresh))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
            string body = await replay.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(login.Refresh, body, StringComparison.Ordinal);
        }

        Assert.Equal(1, Events(AuthenticationEvents.RefreshReuseDetectedId));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, second.Access));
        using (var legitimate = await RefreshAsync(client, second.Refresh))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, legitimate.StatusCode);
        }

        // Another user's login is untouched; no refresh token reaches a log line.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
        Assert.DoesNotContain(_logs, l => l.Message.Contains(login.Refresh, StringComparison.Ordinal) || l.Message.Contains(second.Refresh, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Of_many_parallel_refreshes_with_one_token_exactly_one_succeeds(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => RefreshAsync(client, login.Refresh)));
        var statuses = responses.Select(r => r.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(23, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.True(Events(AuthenticationEvents.RefreshReuseDetectedId) >= 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Unknown_users_and_wrong_passwords_get_the_same_answer_and_event_1008_and_no_password_is_logged(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        using var unknown = await LoginAsync(client, "mallory", AlicePassword);
        using var wrong = await LoginAsync(client, "alice", "not-" + AlicePassword);

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Bearer", unknown.Headers.WwwAuthenticate.ToString());
        Assert.Equal("Bearer", wrong.Headers.WwwAuthenticate.ToString());
        Assert.Equal(Strip(await unknown.Content.ReadAsStringAsync(Ct)), Strip(await wrong.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(2, Events(AuthenticationEvents.LoginFailedId));
        Assert.Equal(0, Events(AuthenticationEvents.LoginSucceededId));
        Assert.DoesNotContain(_logs, l => l.Message.Contains(AlicePassword, StringComparison.Ordinal));

        // Malformed input is a 400 problem, not a 500 or a login attempt.
        using var malformed = await PostJsonAsync(client, "/api/v1/auth/token", """{"userName":"alice","password":"x","admin":true}""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(2, Events(AuthenticationEvents.LoginFailedId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Passwords_and_tokens_reach_no_log_entry_and_the_request_log_redacts_them(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        using (var wrong = await LoginAsync(client, "alice", "CANARYx7f3a9-wrong-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var refreshed = await ReadTokensAsync(await RefreshAsync(client, login.Refresh));
        using (var logout = await PostJsonAsync(client, "/api/v1/auth/logout", "{}", refreshed.Access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        // The login's request-log entries carry its parameters (the user name is there), with the password redacted.
        var loginEntries = _logs.Where(l => l.Category == RequestLog.Category && l.Message.Contains("/api/v1/auth/token", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, loginEntries.Length);
        Assert.All(loginEntries, l => Assert.Contains("alice", l.Message, StringComparison.Ordinal));
        foreach (string secret in new[] { AlicePassword, "CANARYx7f3a9", login.Refresh, refreshed.Refresh, login.Access.Split('.')[2], refreshed.Access.Split('.')[2] })
        {
            Assert.DoesNotContain(_logs, l => l.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failing_user_store_is_503_with_event_1005_not_a_500(string provider)
    {
        // orders.db is a directory: every query of the revocation and refresh-token stores fails. The user
        // store's table is dropped once the app has started: every user query then fails too.
        string database = Path.Combine(_dataPath, "broken.db");
        Directory.CreateDirectory(database);
        using var factory = await FactoryAsync(provider, revocationDatabase: "Data Source=" + database);
        var client = factory.CreateClient();
        await using (var drop = factory.Services.GetRequiredService<DbDataSource>().CreateCommand("DROP TABLE auth_users"))
        {
            await drop.ExecuteNonQueryAsync(Ct);
        }

        using var login = await LoginAsync(client, "alice", AlicePassword);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);
        using var refresh = await RefreshAsync(client, new string('A', 43));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refresh.StatusCode);
        Assert.Equal(2, Events(AuthenticationEvents.RevocationStoreUnavailableId));
        Assert.Equal(0, Events(AuthenticationEvents.LoginFailedId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_login_has_its_own_limit_of_five_a_minute_per_client(string provider)
    {
        using var factory = await FactoryAsync(provider, realRateLimits: true);
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 6; i++)
        {
            using var response = await LoginAsync(client, "alice", "wrong-" + i);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        // The sixth attempt never reached the password check.
        Assert.Equal(5, Events(AuthenticationEvents.LoginFailedId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_refresh_token_is_not_an_access_token_and_an_access_token_is_not_a_refresh_token(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, login.Refresh));
        using var response = await RefreshAsync(client, login.Access);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // not the shape of a refresh token
        // Neither attempt spent the refresh token.
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(client, login.Refresh)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Users_are_stored_with_a_pbkdf2_hash_in_the_application_database(string provider)
    {
        using var factory = await FactoryAsync(provider);
        var client = factory.CreateClient();
        _ = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        await using var command = factory.Services.GetRequiredService<DbDataSource>().CreateCommand("SELECT password_hash FROM auth_users WHERE user_name = 'alice'");
        string hash = (string)(await command.ExecuteScalarAsync(Ct))!;
        byte[] bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]); // Identity V3 format: PBKDF2 with a random salt
        Assert.DoesNotContain(AlicePassword, hash, StringComparison.Ordinal);
    }

    private static string Strip(string problem)
    {
        // The trace id differs per request; everything else must be identical.
        using var document = JsonDocument.Parse(problem);
        return string.Join("|", document.RootElement.EnumerateObject().Where(p => p.Name is not ("traceId" or "instance")).Select(p => p.Name + "=" + p.Value));
    }

    private sealed record Tokens(string Access, string Refresh, long ExpiresIn, string Scope);

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

            // The message, the exception and every structured value (the request log's parameters are only
            // serialised when read), so a secret anywhere in an entry is found.
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                string structured = string.Join(" ", values.Select(v => v.Key + "=" + Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)));
                logs.Enqueue((category, eventId, formatter(state, exception) + " " + structured + (exception is null ? "" : " " + exception)));
            }
        }
    }
}
