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
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private volatile bool _initialized;

    public SqliteDatabase(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        _schema = schema;
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
                        await using var command = connection.CreateCommand();
                        command.CommandText = _schema;
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
