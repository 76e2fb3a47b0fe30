using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Data.Tests;

public sealed class MigrationTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => Tests.Providers.All;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task MigrationsApplyInOrderOnceAndAreRecorded(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres, migrate: false);
        var applied = await RampartMigrations.ApplyAsync(db.Database, TestDatabase.MigrationsFolder, cancellationToken: Ct);
        Assert.Equal(new[] { "0001_notes.sql", "0002_audit.sql" }, applied);

        var again = await RampartMigrations.ApplyAsync(db.Database, TestDatabase.MigrationsFolder, cancellationToken: Ct);
        Assert.Empty(again);
        Assert.Equal(new[] { "0001_notes.sql", "0002_audit.sql" }, await RecordedAsync(db));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AFailingMigrationLeavesNeitherItsChangesNorItsRecord(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres, migrate: false);
        string folder = Directory.CreateTempSubdirectory("rampart-migrations-").FullName;
        try
        {
            File.Copy(Path.Combine(TestDatabase.MigrationsFolder, "0001_notes.sql"), Path.Combine(folder, "0001_notes.sql"));
            // The first statement would succeed; the second fails: neither may remain.
            File.WriteAllText(Path.Combine(folder, "0002_broken.sql"),
                "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (x) VALUES (1);");

            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => RampartMigrations.ApplyAsync(db.Database, folder, cancellationToken: Ct));
            Assert.Equal(new[] { "0001_notes.sql" }, await RecordedAsync(db));

            // Fixed, it applies on the next start — which it could not if half_done had been left behind.
            File.WriteAllText(Path.Combine(folder, "0002_broken.sql"), "CREATE TABLE half_done (id INTEGER PRIMARY KEY);");
            Assert.Equal(new[] { "0002_broken.sql" }, await RampartMigrations.ApplyAsync(db.Database, folder, cancellationToken: Ct));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SqliteDatabaseUsesWalAndEnforcesForeignKeys()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite", postgres);
        await using var connection = await db.Database.DataSource.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
        command.CommandText = "PRAGMA foreign_keys";
        Assert.Equal(1L, (long?)await command.ExecuteScalarAsync(Ct));

        // An audit row for a note that does not exist violates the foreign key.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Admin.AuditAsync(1, Guid.NewGuid(), "orphan", Ct));
    }

    private static async Task<string[]> RecordedAsync(TestDatabase db)
    {
        await using var connection = await db.Database.DataSource.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {RampartMigrations.HistoryTable} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new System.Collections.Generic.List<string>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids.ToArray();
    }
}
