using System;
using System.Data;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;
using Rampart.Data;

namespace Rampart.Benchmarks.Suites;

/// <summary>A row of the benchmark table.</summary>
public sealed record BenchItem(long Id, string Name, int Quantity);

/// <summary>The same row for Dapper, which maps SQLite's INTEGER (Int64) to settable properties.</summary>
public sealed class DapperItem
{
    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public int Quantity { get; set; }
}

/// <summary>The generated store under test.</summary>
public sealed partial class BenchStore
{
    [Sql("SELECT id, name, quantity FROM items WHERE id = @id")]
    public partial Task<BenchItem?> FindAsync(long id, CancellationToken cancellationToken);

    [Sql("INSERT INTO items (name, quantity) VALUES (@name, @quantity)")]
    public partial Task<int> InsertAsync(string name, int quantity, CancellationToken cancellationToken);
}

/// <summary>
/// One SQLite file (WAL, foreign keys on, as <c>AddRampartData</c> makes it; synchronous = NORMAL on every
/// connection so that a commit is not a disk flush, which would dominate the insert) with 1,000 rows, shared by the
/// data-access suites: the generated store, hand-written ADO.NET on one open connection with a prepared
/// command reused (the floor), the same with a new command per call, and Dapper 2.1.86 on an open connection.
/// </summary>
public abstract class DataAccessSuite
{
    protected const string LookupSql = "SELECT id, name, quantity FROM items WHERE id = @id";
    protected const string InsertSql = "INSERT INTO items (name, quantity) VALUES (@name, @quantity)";

    private string _folder = string.Empty;

    protected RampartDatabase Database { get; private set; } = null!;

    protected BenchStore Store { get; private set; } = null!;

    protected SqliteConnection Connection { get; private set; } = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "rampart-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Database = SqliteDataProvider.Instance.CreateDatabase(new RampartDataOptions { DataDirectory = _folder, SqliteRelaxedDurability = true }, AppContext.BaseDirectory);
        Store = new BenchStore(Database);
        Connection = new SqliteConnection(Database.DataSource.ConnectionString);
        await Connection.OpenAsync();
        using (var create = Connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, quantity INTEGER NOT NULL);";
            await create.ExecuteNonQueryAsync();
        }

        for (int i = 1; i <= 1000; i++)
        {
            await Store.InsertAsync("item " + i, i % 50, CancellationToken.None);
        }

        await SetupSuiteAsync();
    }

    protected virtual Task SetupSuiteAsync() => Task.CompletedTask;

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await Connection.DisposeAsync();
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>Point lookup by primary key.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class DataAccessLookup : DataAccessSuite
{
    private SqliteCommand _prepared = null!;
    private long _next;

    private long NextId() => (_next++ % 1000) + 1;

    protected override async Task SetupSuiteAsync()
    {
        _prepared = Connection.CreateCommand();
        _prepared.CommandText = LookupSql;
        _prepared.Parameters.Add(new SqliteParameter("@id", SqliteType.Integer));
        _prepared.Prepare();

        // Every variant reads the same row.
        var expected = new BenchItem(7, "item 7", 7);
        Check(expected, await Store.FindAsync(7, CancellationToken.None), "generated");
        Check(expected, await ReadPrepared(7), "prepared");
        Check(expected, await ReadNewCommand(7), "command per call");
        var dapper = await Connection.QueryFirstOrDefaultAsync<DapperItem>(LookupSql, new { id = 7L });
        Check(expected, dapper is null ? null : new BenchItem(dapper.Id, dapper.Name, dapper.Quantity), "Dapper");
    }

    [Benchmark(Baseline = true)]
    public Task<BenchItem?> HandWrittenPrepared() => ReadPrepared(NextId());

    [Benchmark]
    public Task<BenchItem?> Generated() => Store.FindAsync(NextId(), CancellationToken.None);

    [Benchmark]
    public Task<BenchItem?> HandWrittenCommandPerCall() => ReadNewCommand(NextId());

    [Benchmark]
    public Task<DapperItem?> Dapper() => Connection.QueryFirstOrDefaultAsync<DapperItem>(LookupSql, new { id = NextId() });

    private async Task<BenchItem?> ReadPrepared(long id)
    {
        _prepared.Parameters[0].Value = id;
        await using var reader = await _prepared.ExecuteReaderAsync(CommandBehavior.SingleRow);
        return await reader.ReadAsync() ? new BenchItem(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)) : null;
    }

    private async Task<BenchItem?> ReadNewCommand(long id)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = LookupSql;
        command.Parameters.Add(new SqliteParameter("@id", SqliteType.Integer) { Value = id });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
        return await reader.ReadAsync() ? new BenchItem(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)) : null;
    }

    private static void Check(BenchItem expected, BenchItem? actual, string name)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{name} read {actual}, expected {expected}");
        }
    }
}

/// <summary>One-row insert (the table grows during the run; every variant inserts the same row shape).</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class DataAccessInsert : DataAccessSuite
{
    private SqliteCommand _prepared = null!;

    protected override Task SetupSuiteAsync()
    {
        _prepared = Connection.CreateCommand();
        _prepared.CommandText = InsertSql;
        _prepared.Parameters.Add(new SqliteParameter("@name", SqliteType.Text));
        _prepared.Parameters.Add(new SqliteParameter("@quantity", SqliteType.Integer));
        _prepared.Prepare();
        return Task.CompletedTask;
    }

    [Benchmark(Baseline = true)]
    public Task<int> HandWrittenPrepared()
    {
        _prepared.Parameters[0].Value = "inserted";
        _prepared.Parameters[1].Value = 3;
        return _prepared.ExecuteNonQueryAsync();
    }

    [Benchmark]
    public Task<int> Generated() => Store.InsertAsync("inserted", 3, CancellationToken.None);

    [Benchmark]
    public Task<int> Dapper() => Connection.ExecuteAsync(InsertSql, new { name = "inserted", quantity = 3 });
}
