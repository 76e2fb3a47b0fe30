using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Rampart.Data;

/// <summary>A <see cref="DbDataSource"/> for Microsoft.Data.Sqlite, which does not ship one.</summary>
internal sealed class SqliteDataSource : DbDataSource
{
    private readonly string _connectionString;

    public SqliteDataSource(string connectionString) => _connectionString = connectionString;

    public override string ConnectionString => _connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);
}
