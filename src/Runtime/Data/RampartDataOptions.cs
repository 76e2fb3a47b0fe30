using System;

namespace Rampart.Data;

/// <summary>
/// Where the stores' data lives. <c>AddRampartData()</c> binds the <c>Rampart:Data</c> configuration section
/// onto it, one key per property; unsafe values fail at start-up. Stores do not change with the provider.
/// </summary>
public sealed class RampartDataOptions
{
    /// <summary>
    /// The <see cref="RampartDataProvider.Name"/> of the engine: <c>Sqlite</c> (the default) or, with the
    /// Rampart.PostgreSql package registered, <c>PostgreSql</c>.
    /// </summary>
    public string Provider { get; set; } = SqliteDataProvider.ProviderName;

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
    /// application's base directory (default <c>Migrations</c>); null or empty applies none.
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
