using System;
using System.Collections.Generic;
using System.Data.Common;
using Npgsql;
using Rampart.Data;

namespace Rampart.PostgreSql;

/// <summary>
/// PostgreSQL through Npgsql: the data source of <see cref="RampartDataOptions.ConnectionString"/> (required),
/// and an advisory lock that makes instances starting together apply the migrations in turn.
/// </summary>
public sealed class PostgreSqlDataProvider : RampartDataProvider
{
    /// <summary>The provider's name, <c>PostgreSql</c>.</summary>
    public const string ProviderName = "PostgreSql";

    private const string MissingConnectionString = "Rampart:Data:ConnectionString is required when Rampart:Data:Provider is PostgreSql.";

    private PostgreSqlDataProvider()
    {
    }

    /// <summary>The one instance.</summary>
    public static PostgreSqlDataProvider Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <summary>A transaction-scoped advisory lock (released with the migration's transaction).</summary>
    public override string MigrationLockSql => "SELECT pg_advisory_xact_lock(7261707430)";

    /// <inheritdoc />
    public override IEnumerable<string> Validate(RampartDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return MissingConnectionString;
        }
    }

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(RampartDataOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(MissingConnectionString);
        }

        return NpgsqlDataSource.Create(options.ConnectionString);
    }
}
