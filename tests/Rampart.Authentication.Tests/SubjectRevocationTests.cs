using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// Ending everything of a user: <see cref="RefreshTokenService.RevokeSubjectAsync"/> revokes every refresh-token
/// family and every access token of the subject issued before the call (the per-subject "not valid if issued
/// before" entry of the revocation store, honoured on validated-token cache hits too), and the stores keep that
/// entry consistently (memory and SQLite here, Redis in Rampart.Redis.Tests).
/// </summary>
public sealed class SubjectRevocationTests : IDisposable
{
    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "rampart-subject-revocation-" + Guid.NewGuid().ToString("N"))).FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => new() { "Sqlite", "Memory" };

    private string ConnectionString => "Data Source=" + Path.Combine(_directory, "revocations.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static Task<AuthApp> StartAsync(string store) =>
        AuthApp.StartAsync(new Dictionary<string, string?> { ["Rampart:Authentication:Store"] = store }, AuthApp.DefaultKeys);

    private static RefreshTokenService Service(AuthApp app) => app.Services.GetRequiredService<RefreshTokenService>();

    // The call returns when the current second is over: on the fake clock, that second has to pass.
    private static async Task RevokeSubjectAsync(AuthApp app, string subject, string reason)
    {
        var revoking = Service(app).RevokeSubjectAsync(subject, reason, Ct).AsTask();
        Assert.False(revoking.IsCompleted);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await revoking.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Every_family_and_every_access_token_of_the_subject_is_revoked_and_others_are_not(string store)
    {
        await using var app = await StartAsync(store);
        var service = Service(app);
        var phone = await service.IssueAsync("alice", ["orders:read"], Ct);
        var laptop = await service.IssueAsync("alice", ["orders:read"], Ct);
        var rotated = (await service.RefreshAsync(laptop.RefreshToken, "test", Ct))!;
        var direct = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);   // outside any family
        var bob = await service.IssueAsync("bob", ["orders:read"], Ct);
        foreach (string token in new[] { phone.AccessToken.Token, rotated.AccessToken.Token, direct.Token })
        {
            Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(token));   // validated, and cached
        }

        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        long hits = cache.Hits;
        await RevokeSubjectAsync(app, "alice", "password_changed");

        foreach (string token in new[] { phone.AccessToken.Token, laptop.AccessToken.Token, rotated.AccessToken.Token, direct.Token })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(token));
        }

        Assert.True(cache.Hits >= hits + 3, "the cached tokens were refused on cache hits");
        Assert.Null(await service.RefreshAsync(phone.RefreshToken, "test", Ct));
        Assert.Null(await service.RefreshAsync(rotated.RefreshToken, "test", Ct));
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
        var revoked = Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.SubjectRevokedId);
        Assert.Contains("alice", revoked.Message, StringComparison.Ordinal);
        Assert.Contains("password_changed", revoked.Message, StringComparison.Ordinal);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenRevokedId && e.Message.Contains(direct.Id, StringComparison.Ordinal));

        // bob is untouched; alice's next login (a new family, issued after the call) works at once.
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(bob.AccessToken.Token));
        Assert.NotNull(await service.RefreshAsync(bob.RefreshToken, "test", Ct));
        var next = await service.IssueAsync("alice", ["orders:read"], Ct);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(next.AccessToken.Token));
        var nextRotated = (await service.RefreshAsync(next.RefreshToken, "test", Ct))!;
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(nextRotated.AccessToken.Token));
    }

    [Fact]
    public async Task A_token_of_the_revocation_s_own_second_is_refused_and_the_call_returns_once_that_second_is_over()
    {
        await using var app = await StartAsync("Sqlite");
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        app.Time.Advance(TimeSpan.FromMilliseconds(400));   // 12:00:00.4
        var before = issuer.Issue("alice", ["orders:read"]);

        var revoking = Service(app).RevokeSubjectAsync("alice", "compromised", Ct).AsTask();
        app.Time.Advance(TimeSpan.FromMilliseconds(100));   // 12:00:00.5: the entry is written, the call waits for 12:00:01
        Assert.False(revoking.IsCompleted);
        // iat has whole seconds: a token of this second may have been issued before the revocation, so it is refused.
        var sameSecond = issuer.Issue("alice", ["orders:read"]);
        Assert.Equal(new JsonWebToken(before.Token).IssuedAt, new JsonWebToken(sameSecond.Token).IssuedAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(before.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(sameSecond.Token));

        app.Time.Advance(TimeSpan.FromMilliseconds(499));   // 12:00:00.999: not over yet
        Assert.False(revoking.IsCompleted);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));     // 12:00:01.0
        await revoking.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var after = issuer.Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(after.Token));
    }

    [Fact]
    public async Task A_token_issued_at_the_very_instant_of_the_revocation_is_refused()
    {
        await using var app = await StartAsync("Memory");
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);   // 12:00:00.000 exactly
        await RevokeSubjectAsync(app, "alice", "compromised");                                            // also at 12:00:00.000
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(token.Token));
    }

    [Fact]
    public async Task A_token_without_iat_counts_as_issued_before_the_revocation()
    {
        await using var app = await StartAsync("Sqlite");
        long now = Forge.Now(app);
        string payload = $$"""{"iss":"{{AuthApp.Issuer}}","aud":"{{AuthApp.Audience}}","sub":"alice","nbf":{{now}},"exp":{{now + 600}},"jti":"no-iat-1","scope":"orders:read"}""";
        string token = Forge.Es256(Forge.EsHeader, payload);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(token));

        await RevokeSubjectAsync(app, "alice", "removed");
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(token));
    }

    // Another issuer's key, as this application knows it: the public half only (e.g. from its JWKS document).
    private const string OtherKeyId = "other-1";
    private static readonly ECDsa OtherIssuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static void WithAnotherIssuersKey(RampartAuthenticationOptions options)
    {
        AuthApp.DefaultKeys(options);
        var publicHalf = ECDsa.Create();
        publicHalf.ImportParameters(OtherIssuerKey.ExportParameters(includePrivateParameters: false));
        options.Keys.Add(RampartSigningKey.FromEcdsa(OtherKeyId, publicHalf));
    }

    // A token of another issuer (or of a holder of the shared secret) whose clock reads iat now.
    private static string OtherIssuersToken(AuthApp app, string keyId, long iat) => keyId == AuthApp.HsKeyId
        ? Forge.Hs256($$"""{"alg":"HS256","typ":"at+jwt","kid":"{{keyId}}"}""", Forge.Payload(app, iat: iat.ToString(CultureInfo.InvariantCulture)), AuthApp.HsSecret)
        : Forge.Es256($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{keyId}}"}""", Forge.Payload(app, iat: iat.ToString(CultureInfo.InvariantCulture)), OtherIssuerKey);

    [Theory]
    [InlineData(OtherKeyId)]
    [InlineData(AuthApp.HsKeyId)]   // a shared secret: whoever holds it issues tokens on its own clock
    public async Task A_token_of_another_issuer_whose_clock_runs_ahead_does_not_survive_the_revocation(string keyId)
    {
        await using var app = await AuthApp.StartAsync(configuration: null, WithAnotherIssuersKey);
        long now = Forge.Now(app);

        // Minted before the revocation by an issuer whose clock reads 20 s ahead: accepted (within the 30 s skew).
        string seen = OtherIssuersToken(app, keyId, now + 20);
        string unseen = OtherIssuersToken(app, keyId, now + 20);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(seen));   // validated, and cached

        await RevokeSubjectAsync(app, "alice", "compromised");
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(seen));     // a cache hit
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(unseen));   // validated now

        // This application's own tokens (its private signing key, its clock) are accepted at once after the call.
        var own = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(own.Token));

        // The price: the other issuer's tokens of the next ClockSkew count as issued before the revocation too (its
        // second is now + 1, so every iat before now + 31 is refused); a token of its clock after that is accepted.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(OtherIssuersToken(app, keyId, now + 1)));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(OtherIssuersToken(app, keyId, now + 30)));
        app.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(OtherIssuersToken(app, keyId, now + 31)));
    }

    [Fact]
    public async Task A_failing_store_fails_the_request_closed_on_a_cache_hit_too()
    {
        var store = new ThrowingOnSubjectStore();
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, services: s => s.AddSingleton<ITokenRevocationStore>(store));
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(token.Token));   // cached
        store.Down = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await app.StatusAsync(token.Token));
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RevocationStoreUnavailableId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_store_revokes_by_iat_to_the_second_and_a_later_revocation_never_moves_the_point_back(string kind)
    {
        var time = new FakeTimeProvider(AuthApp.Start);
        var store = NewStore(kind, time);
        var t = AuthApp.Start;   // a whole second
        await store.RevokeSubjectAsync("alice", t.AddMilliseconds(300), t.AddHours(1), Ct);   // counts from t + 1 s

        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t, Ct));
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(-100), Ct));
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", null, Ct));   // no iat
        Assert.False(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(1), Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", "bob", t, Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", null, t, Ct));
        Assert.False(await store.IsRevokedAsync("alice", Ct));   // the jti deny-list does not hold subjects

        await store.RevokeSubjectAsync("alice", t.AddSeconds(-30), t.AddMinutes(1), Ct);   // older: changes nothing
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t, Ct));
        await store.RevokeSubjectAsync("alice", t.AddSeconds(10), t.AddMinutes(1), Ct);     // newer: moves forward
        Assert.True(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(9), Ct));
        Assert.False(await store.IsRevokedAsync("jti-1", "alice", t.AddSeconds(10), Ct));

        // The jti deny-list works as before beside it.
        await store.RevokeAsync("jti-2", t.AddMinutes(10), Ct);
        Assert.True(await store.IsRevokedAsync("jti-2", "bob", t.AddSeconds(5), Ct));
        (store as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task The_sqlite_entry_reaches_other_instances_at_once_survives_a_restart_and_is_swept_after_keep_until()
    {
        var time = new FakeTimeProvider(AuthApp.Start);
        var t = AuthApp.Start;
        using var writer = new SqliteTokenRevocationStore(ConnectionString, time);
        using var reader = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await reader.IsRevokedAsync("jti-1", "alice", t, Ct));   // synced, before the entry
        await writer.RevokeSubjectAsync("alice", t.AddSeconds(1), t.AddHours(1), Ct);
        Assert.True(await reader.IsRevokedAsync("jti-1", "alice", t, Ct));    // the very next look-up

        using (var restarted = new SqliteTokenRevocationStore(ConnectionString, time))
        {
            Assert.True(await restarted.IsRevokedAsync("jti-1", "alice", t, Ct));
        }

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));
        Assert.Equal(1, await writer.SweepAsync(Ct));
        using var afterSweep = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await afterSweep.IsRevokedAsync("jti-1", "alice", t, Ct));
    }

    [Fact]
    public async Task A_revocation_table_of_an_earlier_version_gets_the_column_and_keeps_its_rows()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE rampart_token_revocations (seq INTEGER PRIMARY KEY AUTOINCREMENT, token_id TEXT NOT NULL, keep_until INTEGER NOT NULL);"
                + "INSERT INTO rampart_token_revocations (token_id, keep_until) VALUES ('jti-old', $until);";
            create.Parameters.AddWithValue("$until", AuthApp.Start.AddHours(1).ToUnixTimeSeconds());
            await create.ExecuteNonQueryAsync(Ct);
        }

        var time = new FakeTimeProvider(AuthApp.Start);
        using var store = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.True(await store.IsRevokedAsync("jti-old", "alice", AuthApp.Start, Ct));
        await store.RevokeSubjectAsync("alice", AuthApp.Start.AddSeconds(1), AuthApp.Start.AddHours(1), Ct);
        using var other = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.True(await other.IsRevokedAsync("jti-new", "alice", AuthApp.Start, Ct));
        Assert.False(await other.IsRevokedAsync("jti-new", "alice", AuthApp.Start.AddSeconds(1), Ct));
        Assert.True(await other.IsRevokedAsync("jti-old", null, null, Ct));
    }

    private ITokenRevocationStore NewStore(string kind, TimeProvider time) => kind == "Sqlite"
        ? new SqliteTokenRevocationStore(ConnectionString, time)
        : new InMemoryTokenRevocationStore(time);

    private sealed class ThrowingOnSubjectStore : ITokenRevocationStore
    {
        private readonly InMemoryTokenRevocationStore _inner = new();

        public volatile bool Down;

        public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken) =>
            Down ? throw new InvalidOperationException("store down") : _inner.IsRevokedAsync(tokenId, subject, issuedAt, cancellationToken);

        public ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) => _inner.RevokeAsync(tokenId, expiresAt, cancellationToken);

        public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
            _inner.RevokeSubjectAsync(subject, notBefore, keepUntil, cancellationToken);
    }
}
