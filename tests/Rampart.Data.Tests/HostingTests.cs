using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>AddRampartData from configuration: SQLite by default, PostgreSQL by connection string, migrations before start.</summary>
public sealed class HostingTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseTestServer();
        builder.AddRampartData();
        return builder.Build();
    }

    [Fact]
    public async Task Sqlite_is_the_default_and_migrations_run_at_start_up()
    {
        string folder = Path.Combine(Path.GetTempPath(), "rampart-host-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var app = Build(new() { ["Rampart:Data:DataDirectory"] = folder, ["Rampart:Data:MigrationsDirectory"] = TestDatabase.MigrationsFolder }))
            {
                await app.StartAsync(Ct);
                var database = app.Services.GetRequiredService<RampartDatabase>();
                Assert.Equal(DataProvider.Sqlite, database.Provider);
                Assert.Same(database.DataSource, app.Services.GetRequiredService<DbDataSource>());
                Assert.True(File.Exists(Path.Combine(folder, "rampart.db")));
                Assert.Equal(0, await new AdminStore(database).CountAllAsync(Ct));   // the table exists
                await app.StopAsync(Ct);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task PostgreSql_by_connection_string_with_the_same_stores()
    {
        string cs = await postgres.CreateDatabaseAsync();
        await using var app = Build(new()
        {
            ["Rampart:Data:Provider"] = "PostgreSql",
            ["Rampart:Data:ConnectionString"] = cs,
            ["Rampart:Data:MigrationsDirectory"] = TestDatabase.MigrationsFolder,
        });
        await app.StartAsync(Ct);
        var database = app.Services.GetRequiredService<RampartDatabase>();
        Assert.Equal(DataProvider.PostgreSql, database.Provider);
        Assert.IsType<Npgsql.NpgsqlDataSource>(database.DataSource, exactMatch: false);
        Assert.Equal(0, await new AdminStore(database).CountAllAsync(Ct));
        await app.StopAsync(Ct);
    }

    [Theory]
    [InlineData("PostgreSql", null, "ConnectionString is required")]
    [InlineData("Oracle", null, "is not one of")]
    public void Bad_configuration_fails_at_start_up(string provider, string? connectionString, string message)
    {
        using var app = Build(new() { ["Rampart:Data:Provider"] = provider, ["Rampart:Data:ConnectionString"] = connectionString });
        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<RampartDatabase>());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_stops_the_start()
    {
        string folder = Directory.CreateTempSubdirectory("rampart-bad-migrations-").FullName;
        string data = Path.Combine(Path.GetTempPath(), "rampart-host-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            File.WriteAllText(Path.Combine(folder, "0001_broken.sql"), "CREATE TABLE broken (;");
            await using var app = Build(new() { ["Rampart:Data:DataDirectory"] = data, ["Rampart:Data:MigrationsDirectory"] = folder });
            await Assert.ThrowsAnyAsync<DbException>(() => app.StartAsync(Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
