using System;
using System.IO;
using System.Security.Claims;
using System.Threading.Tasks;
using Xunit;

[assembly: AssemblyFixture(typeof(Rampart.Data.Tests.PostgresServer))]

namespace Rampart.Data.Tests;

/// <summary>A fresh, migrated database of one provider, for one test.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;

    private TestDatabase(RampartDatabase database, string? folder, string connectionString)
    {
        Database = database;
        _folder = folder;
        ConnectionString = connectionString;
        Notes = new NoteStore(database);
        Admin = new AdminStore(database);
    }

    public RampartDatabase Database { get; }

    public string ConnectionString { get; }

    public NoteStore Notes { get; }

    public AdminStore Admin { get; }

    public static string MigrationsFolder => Path.Combine(AppContext.BaseDirectory, "Migrations");

    public static async Task<TestDatabase> CreateAsync(string provider, PostgresServer postgres, bool migrate = true)
    {
        TestDatabase db;
        if (provider == "postgres")
        {
            string cs = await postgres.CreateDatabaseAsync();
            db = new TestDatabase(Rampart.PostgreSql.PostgreSqlDataProvider.Instance.CreateDatabase(new RampartDataOptions { ConnectionString = cs }, AppContext.BaseDirectory), null, cs);
        }
        else
        {
            string folder = Path.Combine(Path.GetTempPath(), "rampart-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
            var database = SqliteDataProvider.Instance.CreateDatabase(new RampartDataOptions { DataDirectory = folder }, AppContext.BaseDirectory);
            db = new TestDatabase(database, folder, database.DataSource.ConnectionString);
        }

        if (migrate)
        {
            await RampartMigrations.ApplyAsync(db.Database, MigrationsFolder);
        }

        return db;
    }

    public static OwnerId Owner(string subject)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("sub", subject) }, "test"));
        Assert.True(OwnerId.TryFromCaller(principal, out var owner));
        return owner;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

public static class Providers
{
    public static TheoryData<string> All => new("sqlite", "postgres");
}
