using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>The SQLite revocation store, the default of <c>AddRampartAuthentication()</c>.</summary>
public sealed class SqliteRevocationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rampart-sqlite-revocation-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConnectionString => "Data Source=" + Path.Combine(_directory, "revocations.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task It_is_the_default_store_and_creates_its_database_and_table()
    {
        await using var app = await AuthApp.StartAsync(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:ConnectionString"] = ConnectionString,
        }, AuthApp.DefaultKeys);
        var store = app.Services.GetRequiredService<ITokenRevocationStore>();
        Assert.IsType<SqliteTokenRevocationStore>(store);

        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct)).StatusCode);
        await store.RevokeAsync(token.Id, token.ExpiresAt, Ct);
        Assert.True(File.Exists(Path.Combine(_directory, "revocations.db")));
        // Rejected everywhere, the endpoint without further checks included, with event 1004.
        using var secure = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(secure, Ct);
        using var open = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token, "/open"), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(open, Ct);
        Assert.Equal(2, System.Linq.Enumerable.Count(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenRevokedId));
    }

    [Fact]
    public async Task A_revocation_survives_a_restart_and_is_seen_by_another_instance()
    {
        Directory.CreateDirectory(_directory);
        var first = new SqliteTokenRevocationStore(ConnectionString);
        await first.RevokeAsync("jti-1", DateTimeOffset.UtcNow.AddMinutes(10), Ct);
        var second = new SqliteTokenRevocationStore(ConnectionString);
        Assert.True(await second.IsRevokedAsync("jti-1", Ct));
        Assert.False(await second.IsRevokedAsync("jti-2", Ct));
    }

    [Fact]
    public async Task Identifiers_that_look_like_sql_are_stored_and_matched_literally()
    {
        Directory.CreateDirectory(_directory);
        var store = new SqliteTokenRevocationStore(ConnectionString);
        const string Hostile = "x' OR '1'='1'; DROP TABLE rampart_revoked_tokens; --";
        await store.RevokeAsync(Hostile, DateTimeOffset.UtcNow.AddMinutes(10), Ct);
        Assert.True(await store.IsRevokedAsync(Hostile, Ct));
        Assert.False(await store.IsRevokedAsync("x", Ct));
        Assert.False(await store.IsRevokedAsync("' OR 1=1 --", Ct));
    }

    [Fact]
    public async Task Entries_are_swept_only_after_the_token_can_no_longer_be_accepted_and_a_second_revocation_keeps_the_later_deadline()
    {
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(AuthApp.Start);
        var store = new SqliteTokenRevocationStore(ConnectionString, time);
        await store.RevokeAsync("a", AuthApp.Start.AddMinutes(10), Ct);
        await store.RevokeAsync("b", AuthApp.Start.AddMinutes(10), Ct);
        await store.RevokeAsync("b", AuthApp.Start.AddMinutes(30), Ct);
        await store.RevokeAsync("b", AuthApp.Start.AddMinutes(20), Ct);

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, await store.SweepAsync(Ct)); // within exp + 5 minutes
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await store.SweepAsync(Ct));
        Assert.False(await store.IsRevokedAsync("a", Ct));
        Assert.True(await store.IsRevokedAsync("b", Ct));
    }

    [Fact]
    public async Task An_unusable_database_fails_closed_with_503()
    {
        // A database file that is a directory: every query fails.
        Directory.CreateDirectory(Path.Combine(_directory, "revocations.db"));
        await using var app = await AuthApp.StartAsync(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:ConnectionString"] = ConnectionString,
        }, AuthApp.DefaultKeys);
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token, "/open"), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RevocationStoreUnavailableId);
    }
}
