using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rampart.Authentication;

/// <summary>
/// A SQLite database of one of Rampart's stores: opens connections (pooled by Microsoft.Data.Sqlite)
/// and runs the store's constant schema script once, on first use.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Action<SqliteConnection>? _upgrade;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private volatile bool _initialized;

    /// <summary>A database whose schema script is <paramref name="schema"/>; <paramref name="upgrade"/> then brings tables of earlier versions up to date.</summary>
    public SqliteDatabase(string connectionString, string schema, Action<SqliteConnection>? upgrade = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        _schema = schema;
        _upgrade = upgrade;
    }

    /// <summary>An open connection; the schema exists.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_initialized)
            {
                await _initialize.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_initialized)
                    {
                        // WAL (persistent in the file): readers neither block nor are blocked by the writer,
                        // and a point read checks the WAL index in shared memory instead of taking file locks
                        // (RevocationLookupBenchmarks: ~11 µs → ~6 µs per call, ~3 µs pooled). Memory databases ignore it.
                        await using var command = connection.CreateCommand();
                        command.CommandText = "PRAGMA journal_mode = WAL;\n" + _schema;
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        _upgrade?.Invoke(connection);
                        _initialized = true;
                    }
                }
                finally
                {
                    _initialize.Release();
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="addColumn"/> (a constant <c>ALTER TABLE … ADD COLUMN …</c>) when <paramref name="table"/>, a
    /// table of an earlier version, lacks <paramref name="column"/>; one process adds it (under the write lock).
    /// </summary>
    public static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string addColumn)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column";
        exists.Parameters.AddWithValue("$table", table);
        exists.Parameters.AddWithValue("$column", column);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = addColumn;
            alter.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Creates the directory of a file database named by <paramref name="connectionString"/> when it is missing.</summary>
    public static void EnsureDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            return;
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
