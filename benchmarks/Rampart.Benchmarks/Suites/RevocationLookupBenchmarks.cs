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
/// revoked ones): Rampart's SQLite store (an in-memory copy of the table, re-read when the epoch file
/// says another store committed a revocation), the query on a pooled connection opened per call (the
/// store's first version, and what most code does), the same query prepared on a connection kept open
/// (the store's second version), and the in-memory store — each Rampart store also with the subject check the
/// request path makes (the token's subject and <c>iat</c> against 1,000 revoked subjects).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class RevocationLookupBenchmarks
{
    private const string Select = "SELECT 1 FROM rampart_token_revocations WHERE token_id = $id";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rampart-bench-revocation-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = null!;
    private SqliteTokenRevocationStore _sqlite = null!;
    private InMemoryTokenRevocationStore _memory = null!;
    private readonly string _tokenId = Guid.NewGuid().ToString("N");
    private readonly DateTimeOffset _issuedAt = DateTimeOffset.UtcNow;
    private SqliteConnection _kept = null!;
    private SqliteCommand _prepared = null!;

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

        var notBefore = DateTimeOffset.UtcNow.AddSeconds(-60);
        for (int i = 0; i < 1_000; i++)
        {
            await _sqlite.RevokeSubjectAsync("user-" + i, notBefore, until, CancellationToken.None);
            await _memory.RevokeSubjectAsync("user-" + i, notBefore, until, CancellationToken.None);
        }

        // The look-up by token_id the SQL variants make (the store itself reads the table by seq).
        await using (var index = new SqliteConnection(_connectionString))
        {
            await index.OpenAsync();
            await using var create = index.CreateCommand();
            create.CommandText = "CREATE INDEX IF NOT EXISTS bench_token_id ON rampart_token_revocations (token_id)";
            await create.ExecuteNonQueryAsync();
        }

        _kept = new SqliteConnection(_connectionString);
        await _kept.OpenAsync();
        _prepared = _kept.CreateCommand();
        _prepared.CommandText = Select;
        _prepared.Parameters.Add("$id", SqliteType.Text).Value = _tokenId;
        _prepared.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.Dispose();
        _prepared.Dispose();
        _kept.Dispose();
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

    [Benchmark(Description = "SQLite, SELECT prepared on a kept connection")]
    public bool SqlitePrepared() => _prepared.ExecuteScalar() is not null;

    [Benchmark(Description = "Rampart SQLite store (in-memory copy, epoch file)")]
    public ValueTask<bool> RampartSqlite() => _sqlite.IsRevokedAsync(_tokenId, CancellationToken.None);

    [Benchmark(Description = "Rampart in-memory store")]
    public ValueTask<bool> RampartMemory() => _memory.IsRevokedAsync(_tokenId, CancellationToken.None);

    [Benchmark(Description = "Rampart SQLite store, jti and subject")]
    public ValueTask<bool> RampartSqliteSubject() => _sqlite.IsRevokedAsync(_tokenId, "user-7", _issuedAt, CancellationToken.None);

    [Benchmark(Description = "Rampart in-memory store, jti and subject")]
    public ValueTask<bool> RampartMemorySubject() => _memory.IsRevokedAsync(_tokenId, "user-7", _issuedAt, CancellationToken.None);
}
