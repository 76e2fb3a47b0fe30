using System.Data.Common;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rampart.Data;

/// <summary>
/// A <see cref="DbDataSource"/> for Microsoft.Data.Sqlite, which does not ship one. Every connection it opens
/// waits for a concurrent writer (WAL allows one) instead of failing with SQLITE_BUSY, and with relaxed
/// durability commits without waiting for a disk flush.
/// </summary>
internal sealed class SqliteDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDataSource(string connectionString, int commandTimeoutSeconds, bool relaxedDurability)
    {
        _connectionString = connectionString;
        _pragmas = "PRAGMA busy_timeout = " + (commandTimeoutSeconds * 1000).ToString(CultureInfo.InvariantCulture) + ";"
            + (relaxedDurability ? " PRAGMA synchronous = NORMAL;" : string.Empty);
    }

    public override string ConnectionString => _connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = _pragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Microsoft.Data.Sqlite completes its async methods synchronously: the synchronous path does the same work.
    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<DbConnection>(OpenDbConnection());
    }
}
