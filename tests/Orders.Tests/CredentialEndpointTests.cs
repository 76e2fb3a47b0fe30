using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orders.Development;
using Rampart.Authentication;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The sample's credential endpoints from the attacker's side (issue 16, item 4), on a fake clock, with the
/// sample's real partitioning; each request's TCP peer is simulated by <c>X-Test-Peer</c>. A bearer token
/// attached to a login or refresh must not move the attempt out of the client address's bucket, and guesses
/// at one account are throttled whatever address they come from, the same way for names that do not exist —
/// also guesses at the current password through the password change.
/// </summary>
public sealed class CredentialEndpointTests : IDisposable
{
    private const string AlicePassword = "alice-test-password-7Q2x";
    private static int s_peer;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(int EventId, string Category, string Message)> _logs = new();
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "orders-credential-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly WebApplicationFactory<Program> _factory;

    public CredentialEndpointTests()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(DevelopmentSigningKey.DataPathKey, _dataPath);
            builder.UseSetting("Rampart:Data:DataDirectory", _dataPath);
            builder.UseSetting("Orders:SeedUsers:0:Password", AlicePassword);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.AddSingleton<IStartupFilter, SimulatedPeerStartupFilter>();
                services.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(_logs)));
            });
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _factory.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    // A peer of its own /24 network: a fresh per-address quota, and no network budget shared with another test's peers.
    private static string FreshPeer()
    {
        int n = Interlocked.Increment(ref s_peer);
        return $"10.{(n >> 8) & 0xff}.{n & 0xff}.7";
    }

    private Task<HttpResponseMessage> PostAsync(string peer, string path, object body, string? bearer = null)
    {
        var client = _factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add(SimulatedPeerStartupFilter.Header, peer);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request, Ct);
    }

    private Task<HttpResponseMessage> LoginAsync(string peer, string user, string password, string? bearer = null) =>
        PostAsync(peer, "/api/v1/auth/token", new Dictionary<string, string> { ["userName"] = user, ["password"] = password }, bearer);

    private string AttackersOwnToken() =>
        _factory.Services.GetRequiredService<ITokenIssuer>().Issue("mallory", ["orders:read"]).Token;

    [Fact]
    public async Task A_bearer_token_does_not_give_login_attempts_a_fresh_quota()
    {
        string peer = FreshPeer();
        string token = AttackersOwnToken();
        var statuses = new List<HttpStatusCode>();
        // Different names each time, so only the address's 5/minute can refuse.
        for (int i = 0; i < 5; i++)
        {
            using var response = await LoginAsync(peer, "guess" + i, "wrong-password");
            statuses.Add(response.StatusCode);
        }

        for (int i = 5; i < 8; i++)
        {
            using var response = await LoginAsync(peer, "guess" + i, "wrong-password", bearer: token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);

        // With the token attached from the first attempt on, the quota is the address's too.
        string other = FreshPeer();
        statuses.Clear();
        for (int i = 0; i < 6; i++)
        {
            using var response = await LoginAsync(other, "other" + i, "wrong-password", bearer: token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_bearer_token_does_not_give_refresh_attempts_a_fresh_quota()
    {
        string peer = FreshPeer();
        string token = AttackersOwnToken();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            var body = new Dictionary<string, string> { ["refresh_token"] = new string((char)('A' + i), 43) };
            using var response = await PostAsync(peer, "/api/v1/auth/refresh", body, bearer: i < 9 ? null : token);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)], statuses);
    }

    [Fact]
    public async Task Guesses_at_one_account_lock_it_with_a_growing_backoff_from_any_address_and_success_resets()
    {
        // Every attempt from a new address: the per-address limit never refuses here, only the account throttle.
        for (int i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(FreshPeer(), "alice", "wrong-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Locked for a minute: even the right password is refused, without checking it.
        using (var locked = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal("60", locked.Headers.RetryAfter?.ToString());
            Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(5, Events(AuthenticationEvents.LoginFailedId));
        Assert.Equal(0, Events(AuthenticationEvents.LoginSucceededId));

        // Another attempt after the lock: a wrong one doubles the next lock.
        _time.Advance(TimeSpan.FromSeconds(60));
        using (var sixth = await LoginAsync(FreshPeer(), "alice", "wrong-6"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, sixth.StatusCode);
        }

        using (var locked = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal("120", locked.Headers.RetryAfter?.ToString());
        }

        _time.Advance(TimeSpan.FromSeconds(119));
        using (var stillLocked = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
            Assert.Equal("1", stillLocked.Headers.RetryAfter?.ToString());
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        using (var ok = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // A success resets the count: five more failures before the next (first-length) lock.
        for (int i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(FreshPeer(), "alice", "again-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var locked = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal("60", locked.Headers.RetryAfter?.ToString());
        }

        // The name is normalised: another spelling of it is the same account.
        using (var variant = await LoginAsync(FreshPeer(), "ALICE", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, variant.StatusCode);
        }
    }

    [Fact]
    public async Task An_unknown_name_and_a_wrong_password_get_identical_answers_and_both_lock_the_same_way()
    {
        // First attempts, each from a fresh address (so the rate-limit headers agree too).
        await AssertIdenticalAsync(
            await LoginAsync(FreshPeer(), "alice", "not-the-password"),
            await LoginAsync(FreshPeer(), "nobody-by-this-name", "not-the-password"),
            HttpStatusCode.Unauthorized);

        for (int i = 0; i < 4; i++)
        {
            (await LoginAsync(FreshPeer(), "alice", "wrong-" + i)).Dispose();
            (await LoginAsync(FreshPeer(), "nobody-by-this-name", "wrong-" + i)).Dispose();
        }

        // The sixth attempt: the lockout is the same for a name that exists and one that does not.
        await AssertIdenticalAsync(
            await LoginAsync(FreshPeer(), "alice", AlicePassword),
            await LoginAsync(FreshPeer(), "nobody-by-this-name", AlicePassword),
            HttpStatusCode.TooManyRequests);

        // No name as typed reaches the log (people type passwords into name fields).
        Assert.DoesNotContain(_logs, l => l.Category == SecurityEvents.Category && l.Message.Contains("nobody-by-this-name", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, l => l.Message.Contains(AlicePassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Guesses_at_the_current_password_count_against_the_account_like_login_attempts()
    {
        // A token holder (a stolen token, an unlocked device) guessing alice's password through the password change.
        string access;
        using (var login = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            access = JsonDocument.Parse(await login.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("access_token").GetString()!;
        }

        // Twelve guesses, five a minute (the endpoint's own limit never refuses): checked only while the account
        // throttle allows, as at the login — five, then one after the minute's lock, then a doubled lock.
        string peer = FreshPeer();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(61));
            }

            using var guess = await ChangePasswordAsync(peer, access, "guess-" + i);
            statuses.Add(guess.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Forbidden, 6), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 6)], statuses);

        // The same count as the login's: alice is locked there too, and the answers agree.
        using (var locked = await ChangePasswordAsync(peer, access, AlicePassword))
        using (var lockedLogin = await LoginAsync(FreshPeer(), "alice", AlicePassword))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, lockedLogin.StatusCode);
            Assert.Equal("59", locked.Headers.RetryAfter?.ToString());
            Assert.Equal(lockedLogin.Headers.RetryAfter?.ToString(), locked.Headers.RetryAfter?.ToString());
            Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
            Assert.Equal(ProblemType(await lockedLogin.Content.ReadAsStringAsync(Ct)), ProblemType(await locked.Content.ReadAsStringAsync(Ct)));
        }

        // After the lock the right password is checked and resets the count: five wrong logins before the next lock.
        _time.Advance(TimeSpan.FromSeconds(59));
        using (var changed = await WhileTheClockRunsAsync(ChangePasswordAsync(peer, access, AlicePassword)))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        for (int i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(FreshPeer(), "alice", "after-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var relocked = await LoginAsync(FreshPeer(), "alice", NewPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, relocked.StatusCode);
    }

    private const string NewPassword = "a-new-password-123";

    private Task<HttpResponseMessage> ChangePasswordAsync(string peer, string access, string current) =>
        PostAsync(peer, "/api/v1/auth/password", new Dictionary<string, string> { ["currentPassword"] = current, ["newPassword"] = NewPassword }, access);

    // A password change returns once the second of its subject revocation is over (it waits on the clock): the
    // fake clock is moved on in small steps until the response is there.
    private async Task<HttpResponseMessage> WhileTheClockRunsAsync(Task<HttpResponseMessage> request)
    {
        while (!request.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(request, Task.Delay(20, Ct));
        }

        return await request;
    }

    private static string? ProblemType(string body) => JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();

    // Status, every header and the body byte for byte, except the trace id that differs per request.
    private static async Task AssertIdenticalAsync(HttpResponseMessage known, HttpResponseMessage unknown, HttpStatusCode expected)
    {
        using (known)
        using (unknown)
        {
            Assert.Equal(expected, known.StatusCode);
            Assert.Equal(expected, unknown.StatusCode);
            Assert.Equal(Headers(known), Headers(unknown));
            byte[] knownBody = await known.Content.ReadAsByteArrayAsync(Ct);
            byte[] unknownBody = await unknown.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal(WithoutTraceId(knownBody), WithoutTraceId(unknownBody));
        }
    }

    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => h.Key + ": " + string.Join(", ", h.Value)));

    private static string WithoutTraceId(byte[] body)
    {
        string text = Encoding.UTF8.GetString(body);
        string stripped = Regex.Replace(text, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"-\"");
        Assert.NotEmpty(text);
        return stripped;
    }

    private int Events(int id) => _logs.Count(l => l.Category == SecurityEvents.Category && l.EventId == id);
}
