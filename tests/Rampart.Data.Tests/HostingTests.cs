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
using Microsoft.Extensions.Options;
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
        builder.Services.AddRampartPostgreSql();
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
                Assert.Same(SqliteDataProvider.Instance, database.Provider);
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
        Assert.Same(Rampart.PostgreSql.PostgreSqlDataProvider.Instance, database.Provider);
        Assert.IsType<Npgsql.NpgsqlDataSource>(database.DataSource, exactMatch: false);
        Assert.Equal(0, await new AdminStore(database).CountAllAsync(Ct));
        await app.StopAsync(Ct);
    }

    [Theory]
    [InlineData("PostgreSql", null, "Rampart:Data:ConnectionString is required when Rampart:Data:Provider is PostgreSql.")]
    [InlineData("Oracle", null, "Rampart:Data:Provider 'Oracle' is not one of the registered providers: Sqlite, PostgreSql.")]
    [InlineData("", null, "Rampart:Data:Provider '' is not one of the registered providers")]
    public void Bad_configuration_fails_at_start_up(string provider, string? connectionString, string message)
    {
        using var app = Build(new() { ["Rampart:Data:Provider"] = provider, ["Rampart:Data:ConnectionString"] = connectionString });
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<RampartDatabase>());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSql_without_its_package_registered_stops_the_start_naming_the_package()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Rampart:Data:Provider"] = "postgresql", ["Rampart:Data:ConnectionString"] = "Host=localhost" });
        builder.WebHost.UseTestServer();
        builder.AddRampartData();   // no AddRampartPostgreSql()
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(Ct));

        Assert.Contains("Rampart:Data:Provider is PostgreSql, but PostgreSQL support is not registered: add the Rampart.PostgreSql package and call services.AddRampartPostgreSql() (registered providers: Sqlite).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_of_the_section_binds_onto_the_options()
    {
        using var app = Build(new()
        {
            ["Rampart:Data:Provider"] = "sqlite",
            ["Rampart:Data:DataDirectory"] = "data",
            ["Rampart:Data:DatabaseFileName"] = "app.db",
            ["Rampart:Data:MigrationsDirectory"] = "",
            ["Rampart:Data:MaxIdleSessions"] = "3",
            ["Rampart:Data:SqliteRelaxedDurability"] = "true",
            ["Rampart:Data:CommandTimeoutSeconds"] = "",
        });

        var options = app.Services.GetRequiredService<IOptions<RampartDataOptions>>().Value;

        Assert.Equal("sqlite", options.Provider);   // compared without case
        Assert.Equal("data", options.DataDirectory);
        Assert.Equal("app.db", options.DatabaseFileName);
        Assert.Equal("", options.MigrationsDirectory);   // empty text is a value: no migrations
        Assert.Equal(3, options.MaxIdleSessions);
        Assert.True(options.SqliteRelaxedDurability);
        Assert.Equal(30, options.CommandTimeoutSeconds);   // an empty number keeps the default
    }

    [Theory]
    [InlineData("DataDirectory", "", "Rampart:Data:DataDirectory must not be empty")]
    [InlineData("DatabaseFileName", " ", "Rampart:Data:DatabaseFileName must not be empty")]
    [InlineData("MaxIdleSessions", "-1", "Rampart:Data:MaxIdleSessions must be 0 or more.")]
    [InlineData("CommandTimeoutSeconds", "-5", "Rampart:Data:CommandTimeoutSeconds must be 0 (no timeout) or more.")]
    public void Unusable_values_fail_at_start_up_naming_the_setting(string key, string value, string message)
    {
        using var app = Build(new() { ["Rampart:Data:" + key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<RampartDatabase>());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_number_fails_naming_the_key()
    {
        using var app = Build(new() { ["Rampart:Data:CommandTimeoutSeconds"] = "thirty" });
        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<RampartDatabase>());
        Assert.Contains("'Rampart:Data:CommandTimeoutSeconds'", error.Message, StringComparison.Ordinal);
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
