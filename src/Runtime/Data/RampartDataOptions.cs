using System;

namespace Rampart.Data;

/// <summary>The database engine behind the stores.</summary>
public enum DataProvider
{
    /// <summary>An embedded SQLite file under the application's data folder (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, reached by <see cref="RampartDataOptions.ConnectionString"/>.</summary>
    PostgreSql,
}

/// <summary>
/// Where the stores' data lives. Read from the <c>Rampart:Data</c> configuration section
/// (<c>Provider</c>, <c>ConnectionString</c>, <c>DataDirectory</c>, <c>MigrationsDirectory</c>); stores do not change with the provider.
/// </summary>
public sealed class RampartDataOptions
{
    /// <summary>The engine; SQLite unless configured.</summary>
    public DataProvider Provider { get; set; } = DataProvider.Sqlite;

    /// <summary>
    /// The connection string: required for PostgreSQL; for SQLite it replaces the default file under
    /// <see cref="DataDirectory"/> (WAL mode and foreign keys are switched on either way).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder of the SQLite file, relative to the content root (default <c>App_Data</c>).</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>The SQLite file name (default <c>rampart.db</c>).</summary>
    public string DatabaseFileName { get; set; } = "rampart.db";

    /// <summary>
    /// The folder of the ordered <c>*.sql</c> migration files applied at start-up, relative to the
    /// application's base directory (default <c>Migrations</c>); null applies none.
    /// </summary>
    public string? MigrationsDirectory { get; set; } = "Migrations";

    /// <summary>
    /// How many idle sessions (an open connection and its prepared commands) are kept for reuse;
    /// more concurrent callers get sessions that are closed when they finish.
    /// </summary>
    public int MaxIdleSessions { get; set; } = Math.Max(4, Environment.ProcessorCount * 4);

    /// <summary>
    /// SQLite only: <c>PRAGMA synchronous = NORMAL</c> on every connection instead of SQLite's default <c>FULL</c>.
    /// In WAL mode this cannot corrupt the database, but the last commits before a power loss may be lost;
    /// commits no longer wait for a disk flush. Off by default (durability first).
    /// </summary>
    public bool SqliteRelaxedDurability { get; set; }

    /// <summary>The command timeout in seconds (default 30).</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;
}
