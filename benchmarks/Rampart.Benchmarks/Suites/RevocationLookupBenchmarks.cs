using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Rampart.Authentication;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// The revocation look-up every authenticated request makes (a token that is not revoked, among 10,000
/// revoked ones): Rampart's SQLite store (pooled connections with the SELECT kept prepared), the same query
/// on a pooled connection opened per call (the store's first version, and what most code does), and the
/// in-memory store.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class RevocationLookupBenchmarks
{
    private const string Select = "SELECT 1 FROM rampart_revoked_tokens WHERE token_id = $id";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rampart-bench-revocation-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = null!;
    private SqliteTokenRevocationStore _sqlite = null!;
    private InMemoryTokenRevocationStore _memory = null!;
    private readonly string _tokenId = Guid.NewGuid().ToString("N");

    [GlobalSetup]
    public async Task Setup()
    {
        Directory.CreateDirectory(_directory);
        _connectionString = "Data Source=" + Path.Combine(_directory, "revocations.db");
        _sqlite = new SqliteTokenRevocationStore(_connectionString);
        _memory = new InMemoryTokenRevocationStore(TimeProvider.System);
        var until = DateTimeOffset.UtcNow.AddHours(1);
        for (int i = 0; i < 10_000; i++)
        {
            string id = Guid.NewGuid().ToString("N");
            await _sqlite.RevokeAsync(id, until, CancellationToken.None);
            await _memory.RevokeAsync(id, until, CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "SQLite, connection opened per call")]
    public async Task<bool> SqlitePerCall()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Select;
        command.Parameters.AddWithValue("$id", _tokenId);
        return await command.ExecuteScalarAsync() is not null;
    }

    [Benchmark(Description = "Rampart SQLite store (pooled, prepared)")]
    public ValueTask<bool> RampartSqlite() => _sqlite.IsRevokedAsync(_tokenId, CancellationToken.None);

    [Benchmark(Description = "Rampart in-memory store")]
    public ValueTask<bool> RampartMemory() => _memory.IsRevokedAsync(_tokenId, CancellationToken.None);
}
