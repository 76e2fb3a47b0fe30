using System;
using System.Data.Common;
using System.IO;
using Microsoft.Data.Sqlite;

namespace Rampart.Data;

/// <summary>
/// The embedded default: a SQLite file under <see cref="RampartDataOptions.DataDirectory"/> (or the configured
/// connection string) with foreign keys on, WAL journal mode and a busy timeout on every connection.
/// </summary>
public sealed class SqliteDataProvider : RampartDataProvider
{
    /// <summary>The provider's name, <c>Sqlite</c>.</summary>
    public const string ProviderName = "Sqlite";

    private SqliteDataProvider()
    {
    }

    /// <summary>The one instance.</summary>
    public static SqliteDataProvider Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <summary>WAL lets readers proceed during a write; the mode is stored in the file, so once is enough.</summary>
    public override string BeforeMigrationsSql => "PRAGMA journal_mode = WAL;";

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(RampartDataOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contentRoot);
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString ?? string.Empty);
        if (string.IsNullOrEmpty(options.ConnectionString))
        {
            string folder = Path.GetFullPath(options.DataDirectory, contentRoot);
            Directory.CreateDirectory(folder);
            builder.DataSource = Path.Combine(folder, options.DatabaseFileName);
        }

        builder.ForeignKeys = true;
        builder.Pooling = true;
        builder.DefaultTimeout = options.CommandTimeoutSeconds;
        return new SqliteDataSource(builder.ToString(), options.CommandTimeoutSeconds, options.SqliteRelaxedDurability);
    }
}
