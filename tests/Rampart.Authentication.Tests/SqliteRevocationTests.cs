using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
    public async Task Lookups_see_revocations_written_by_another_instance_at_once_under_concurrency()
    {
        // Each store checks its in-memory copy of the table. It must not serve a stale one: a revocation written by
        // another instance (another process, say: each maps the epoch file on its own) is seen by the very next look-up.
        Directory.CreateDirectory(_directory);
        using var reader = new SqliteTokenRevocationStore(ConnectionString);
        using var writer = new SqliteTokenRevocationStore(ConnectionString);
        var until = DateTimeOffset.UtcNow.AddMinutes(10);
        for (int round = 0; round < 20; round++)
        {
            string id = "jti-" + round;

            // Warm every pooled session with "not revoked" first, in parallel.
            var before = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => reader.IsRevokedAsync(id, Ct).AsTask()));
            Assert.All(before, Assert.False);

            await writer.RevokeAsync(id, until, Ct);

            var after = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => reader.IsRevokedAsync(id, Ct).AsTask(), Ct)));
            Assert.All(after, Assert.True);
            Assert.False(await reader.IsRevokedAsync("jti-never-" + round, Ct));
        }
    }

    [Fact]
    public async Task Another_process_revocation_is_seen_at_once_through_the_epoch_file()
    {
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var reader = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await reader.IsRevokedAsync("jti-1", Ct));
        Assert.True(File.Exists(Path.Combine(_directory, "revocations.db-revocation-epoch")));

        // The clock does not move: no periodic re-read can explain the result, only the epoch.
        using var writer = new SqliteTokenRevocationStore(ConnectionString, time);
        await writer.RevokeAsync("jti-1", time.GetUtcNow().AddMinutes(10), Ct);
        Assert.True(await reader.IsRevokedAsync("jti-1", Ct));
    }

    [Fact]
    public async Task A_revocation_written_around_the_store_is_seen_within_a_second()
    {
        // A row inserted by hand does not change the epoch; the periodic re-read bounds how long it goes unseen.
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await store.IsRevokedAsync("jti-by-hand", Ct));
        await ExecuteAsync("INSERT INTO rampart_token_revocations (token_id, keep_until) VALUES ('jti-by-hand', @keep)",
            ("@keep", time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.IsRevokedAsync("jti-by-hand", Ct));
    }

    [Fact]
    public async Task A_database_that_becomes_unreadable_fails_lookups_closed_within_a_second()
    {
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await store.IsRevokedAsync("jti-1", Ct));
        await ExecuteAsync("DROP TABLE rampart_token_revocations");

        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<SqliteException>(() => store.IsRevokedAsync("jti-1", Ct).AsTask());
        // And again on the next look-up: a failure is never cached as "not revoked".
        await Assert.ThrowsAsync<SqliteException>(() => store.IsRevokedAsync("jti-1", Ct).AsTask());
    }

    [Fact]
    public async Task Stores_on_one_shared_memory_database_see_each_other_at_once()
    {
        // No file, so no epoch file: the stores of one process share the epoch in memory.
        string connectionString = "Data Source=rampart-revocations-" + Guid.NewGuid().ToString("N") + ";Mode=Memory;Cache=Shared";
        await using var keepAlive = new SqliteConnection(connectionString);
        await keepAlive.OpenAsync(Ct);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var reader = new SqliteTokenRevocationStore(connectionString, time);
        using var writer = new SqliteTokenRevocationStore(connectionString, time);
        Assert.False(await reader.IsRevokedAsync("jti-1", Ct));
        await writer.RevokeAsync("jti-1", time.GetUtcNow().AddMinutes(10), Ct);
        Assert.True(await reader.IsRevokedAsync("jti-1", Ct));
        Assert.False(await reader.IsRevokedAsync("jti-2", Ct));
    }

    [Fact]
    public async Task Revocations_of_the_first_table_layout_survive_the_upgrade()
    {
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        long live = time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(), gone = time.GetUtcNow().AddMinutes(-1).ToUnixTimeSeconds();
        await ExecuteAsync("CREATE TABLE rampart_revoked_tokens (token_id TEXT NOT NULL PRIMARY KEY, keep_until INTEGER NOT NULL) WITHOUT ROWID;"
            + "INSERT INTO rampart_revoked_tokens VALUES ('jti-live', @live), ('jti-expired', @gone)", ("@live", live), ("@gone", gone));

        using var store = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.True(await store.IsRevokedAsync("jti-live", Ct));
        Assert.False(await store.IsRevokedAsync("jti-expired", Ct));
        using var restarted = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.True(await restarted.IsRevokedAsync("jti-live", Ct));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'rampart_revoked_tokens'"));
    }

    [Fact]
    public async Task A_database_restored_from_an_older_copy_is_read_again_from_the_start()
    {
        // After a restore the seqs restart below what the store has read: without a full re-read new rows would be missed.
        Directory.CreateDirectory(_directory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new SqliteTokenRevocationStore(ConnectionString, time);
        for (int i = 0; i < 5; i++)
        {
            await store.RevokeAsync("jti-old-" + i, time.GetUtcNow().AddMinutes(10), Ct);
        }

        Assert.True(await store.IsRevokedAsync("jti-old-4", Ct));
        await ExecuteAsync("DELETE FROM rampart_token_revocations; UPDATE sqlite_sequence SET seq = 0 WHERE name = 'rampart_token_revocations';"
            + "INSERT INTO rampart_token_revocations (token_id, keep_until) VALUES ('jti-after-restore', @keep)", ("@keep", time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await store.IsRevokedAsync("jti-after-restore", Ct));
        Assert.False(await store.IsRevokedAsync("jti-old-4", Ct)); // the restored table does not list it
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task The_database_is_switched_to_wal_on_first_use()
    {
        // WAL keeps the per-request look-up off file locks and lets readers run beside the writer.
        Directory.CreateDirectory(_directory);
        using var store = new SqliteTokenRevocationStore(ConnectionString);
        Assert.False(await store.IsRevokedAsync("jti-1", Ct));

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_lookup_after_dispose_is_refused()
    {
        Directory.CreateDirectory(_directory);
        var store = new SqliteTokenRevocationStore(ConnectionString);
        Assert.False(await store.IsRevokedAsync("jti-1", Ct));
        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.IsRevokedAsync("jti-1", Ct).AsTask());
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
        const string Hostile = "x' OR '1'='1'; DROP TABLE rampart_token_revocations; --";
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
        // The table is a log: "a" and the first revocation of "b" have passed their deadline; "b" stays listed.
        Assert.Equal(2, await store.SweepAsync(Ct));
        Assert.False(await store.IsRevokedAsync("a", Ct));
        Assert.True(await store.IsRevokedAsync("b", Ct));

        // A store that reads the table afresh (a restart) agrees, until b's latest deadline has passed.
        using var restarted = new SqliteTokenRevocationStore(ConnectionString, time);
        Assert.False(await restarted.IsRevokedAsync("a", Ct));
        Assert.True(await restarted.IsRevokedAsync("b", Ct));
        time.Advance(TimeSpan.FromMinutes(19)); // 35 minutes: exp 30 + 5
        Assert.True(await restarted.IsRevokedAsync("b", Ct));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await restarted.IsRevokedAsync("b", Ct));
        Assert.False(await store.IsRevokedAsync("b", Ct));
    }

    [Theory]
    [InlineData("revocations.db", "/open")] // the database file is a directory: every query fails
    [InlineData("revocations.db-revocation-epoch", "/secure")] // the epoch file cannot be mapped: other processes' revocations would go unseen
    public async Task An_unusable_database_or_epoch_file_fails_closed_with_503(string blocked, string path)
    {
        Directory.CreateDirectory(Path.Combine(_directory, blocked));
        await using var app = await AuthApp.StartAsync(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:ConnectionString"] = ConnectionString,
        }, AuthApp.DefaultKeys);
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token, path), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RevocationStoreUnavailableId);
    }
}
