using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart.Authentication;
using Rampart.Logging;
using StackExchange.Redis;
using Xunit;

namespace Rampart.Redis.Tests;

/// <summary>The access-token deny-list in a real Redis server, shared by two app instances.</summary>
[Collection(RedisServer.Collection)]
public sealed class RedisRevocationTests : IDisposable
{
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RedisServer _redis = new();
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _redis.Dispose();

    private async Task<WebApplication> StartInstanceAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new RedisRateLimitTests.CapturingProvider(_logs));
        builder.AddRampart(o => o.DefaultRateLimit = null);
        builder.Services.AddRampartRedisTokenRevocation(o =>
        {
            o.ConnectionString = _redis.ConnectionString;
            o.Timeout = TimeSpan.FromMilliseconds(500);
        });
        builder.AddRampartAuthentication(o =>
        {
            o.Issuer = "https://issuer.rampart.test";
            o.Audiences.Add("rampart-tests");
            o.Keys.Add(RampartSigningKey.FromEcdsa("es-1", Key));
        });
        var app = builder.Build();
        app.UseRampart();
        app.UseRampartAuthentication();
        app.MapRampartEndpoints();
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task<HttpStatusCode> SendAsync(WebApplication app, string token, string path = "/secure")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await app.GetTestClient().SendAsync(request, Ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }

        return response.StatusCode;
    }

    [Fact]
    public async Task A_token_revoked_on_one_instance_is_refused_by_both_on_every_endpoint()
    {
        await using var a = await StartInstanceAsync();
        await using var b = await StartInstanceAsync();
        Assert.IsType<RedisTokenRevocationStore>(a.Services.GetRequiredService<ITokenRevocationStore>());
        var token = a.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        var other = a.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, token.Token)); // validated and cached on b

        await a.Services.GetRequiredService<ITokenRevocationStore>().RevokeAsync(token.Id, token.ExpiresAt, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(a, token.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(b, token.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(b, token.Token, "/limited"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, other.Token));
        Assert.Equal(3, _logs.Count(l => l.Id.Id == AuthenticationEvents.TokenRevokedId));
    }

    [Fact]
    public async Task Entries_expire_with_the_token_and_a_second_revocation_never_shortens_them()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var store = new RedisTokenRevocationStore(redis, new RedisTokenRevocationOptions());
        var now = DateTimeOffset.UtcNow;
        await store.RevokeAsync("short", now.AddMinutes(1), Ct);
        await store.RevokeAsync("long", now.AddMinutes(30), Ct);
        await store.RevokeAsync("long", now.AddMinutes(2), Ct);
        await store.RevokeAsync("gone", now.AddMinutes(-6), Ct); // already unacceptable: nothing stored

        var db = redis.GetDatabase();
        var shortTtl = await db.KeyTimeToLiveAsync("rampart:revoked:short");
        var longTtl = await db.KeyTimeToLiveAsync("rampart:revoked:long");
        Assert.InRange(shortTtl!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
        Assert.InRange(longTtl!.Value, TimeSpan.FromMinutes(34), TimeSpan.FromMinutes(35));
        Assert.False(await db.KeyExistsAsync("rampart:revoked:gone"));
        Assert.True(await store.IsRevokedAsync("short", Ct));
        Assert.False(await store.IsRevokedAsync("other", Ct));
    }

    [Fact]
    public async Task A_subject_revoked_on_one_instance_is_refused_by_both_cache_hits_included_and_later_tokens_pass()
    {
        await using var a = await StartInstanceAsync();
        await using var b = await StartInstanceAsync();
        var issuer = a.Services.GetRequiredService<ITokenIssuer>();
        var alice = issuer.Issue("alice", ["orders:read"]);
        var bob = issuer.Issue("bob", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, alice.Token)); // validated and cached on b

        // As RefreshTokenService.RevokeSubjectAsync does: every token of alice with an iat up to this second.
        var now = DateTimeOffset.UtcNow;
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 1);
        await a.Services.GetRequiredService<ITokenRevocationStore>().RevokeSubjectAsync("alice", notBefore, now.AddHours(1), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(a, alice.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(b, alice.Token));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, bob.Token));
        Assert.Equal(2, _logs.Count(l => l.Id.Id == AuthenticationEvents.TokenRevokedId));

        while (DateTimeOffset.UtcNow < notBefore)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(b, issuer.Issue("alice", ["orders:read"]).Token));
    }

    [Fact]
    public async Task A_subject_entry_counts_whole_seconds_never_moves_back_and_expires_at_keep_until()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var store = new RedisTokenRevocationStore(redis, new RedisTokenRevocationOptions());
        var t = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await store.RevokeSubjectAsync("alice", t.AddMilliseconds(300), t.AddMinutes(30), Ct);   // counts from t + 1 s

        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t, Ct));
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", null, Ct));   // no iat
        Assert.False(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(1), Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", "bob", t, Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", null, t, Ct));

        var db = redis.GetDatabase();
        Assert.Equal((t.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await db.StringGetAsync("rampart:revoked-subject:alice"));
        Assert.InRange((await db.KeyTimeToLiveAsync("rampart:revoked-subject:alice"))!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        // An older, shorter revocation changes neither the point nor the expiry; a newer one moves the point forward.
        await store.RevokeSubjectAsync("alice", t.AddSeconds(-30), t.AddMinutes(2), Ct);
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t, Ct));
        Assert.InRange((await db.KeyTimeToLiveAsync("rampart:revoked-subject:alice"))!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        await store.RevokeSubjectAsync("alice", t.AddSeconds(10), t.AddMinutes(2), Ct);
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(9), Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(10), Ct));

        await store.RevokeSubjectAsync("gone", t, t.AddSeconds(-1), Ct);   // nothing it would revoke can be accepted: not stored
        Assert.False(await db.KeyExistsAsync("rampart:revoked-subject:gone"));

        // A value this store did not write fails closed.
        await db.StringSetAsync("rampart:revoked-subject:mallory", "not-a-number");
        Assert.True(await store.IsRevokedAsync("jti-1", "mallory", t.AddDays(1), Ct));

        Assert.Throws<ArgumentException>(() => new RedisTokenRevocationStore(redis, new RedisTokenRevocationOptions { SubjectKeyPrefix = "rampart:revoked:sub:" }));
    }

    [Fact]
    public async Task A_redis_outage_fails_closed_with_503_and_event_1005()
    {
        await using var app = await StartInstanceAsync();
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token.Token));
        _redis.Kill();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendAsync(app, token.Token));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendAsync(app, token.Token, "/limited"));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.RevocationStoreUnavailableId);
    }
}
