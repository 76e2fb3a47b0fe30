using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;

namespace Rampart.Data;

/// <summary>
/// A database engine the stores can run on: it creates the <see cref="DbDataSource"/> that
/// <see cref="RampartDataOptions"/> describe and names the statements the migrations need on it.
/// <c>Rampart:Data:Provider</c> selects one of the registered providers by <see cref="Name"/>. SQLite
/// (<see cref="SqliteDataProvider"/>) is registered by <c>AddRampartData()</c>; PostgreSQL comes with the
/// Rampart.PostgreSql package (<c>AddRampartPostgreSql()</c>), so an application on SQLite does not carry Npgsql.
/// </summary>
public abstract class RampartDataProvider
{
    /// <summary>The value of <see cref="RampartDataOptions.Provider"/> that selects this provider (compared without case).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// A statement run once on the migrations' connection before any migration (SQLite: the WAL journal mode);
    /// null for none.
    /// </summary>
    public virtual string? BeforeMigrationsSql => null;

    /// <summary>
    /// A statement run first inside each migration's transaction, so that instances starting together take
    /// turns (PostgreSQL: a transaction-scoped advisory lock); null for none.
    /// </summary>
    public virtual string? MigrationLockSql => null;

    /// <summary>
    /// The problems of <paramref name="options"/> for this engine (for example a missing connection string),
    /// each naming its <c>Rampart:Data</c> setting; checked at start-up.
    /// </summary>
    public virtual IEnumerable<string> Validate(RampartDataOptions options) => [];

    /// <summary>Creates the data source <paramref name="options"/> describe; relative paths are resolved against <paramref name="contentRoot"/>.</summary>
    public abstract DbDataSource CreateDataSource(RampartDataOptions options, string contentRoot);

    /// <summary>Creates the <see cref="RampartDatabase"/> of <paramref name="options"/> on this engine.</summary>
    public RampartDatabase CreateDatabase(RampartDataOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contentRoot);
        return new RampartDatabase(CreateDataSource(options, contentRoot), this, options.MaxIdleSessions, options.CommandTimeoutSeconds);
    }

    /// <summary>The provider of <paramref name="registered"/> named <paramref name="name"/> (compared without case), or null.</summary>
    internal static RampartDataProvider? Find(IEnumerable<RampartDataProvider> registered, string? name) =>
        registered.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
