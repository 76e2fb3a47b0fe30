using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rampart.Data;

/// <summary>
/// Applies ordered SQL migration files: every <c>*.sql</c> file of a folder, in ordinal order of file name
/// (name them <c>0001_orders.sql</c>, <c>0002_…</c>). Each runs once, in its own transaction together with
/// its row in <c>rampart_migrations</c>, so a failing file leaves neither its changes nor its record.
/// </summary>
public static partial class RampartMigrations
{
    /// <summary>The table recording applied migrations.</summary>
    public const string HistoryTable = "rampart_migrations";

    /// <summary>Applies the migrations of <paramref name="directory"/> that are not recorded yet; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(RampartDatabase database, string directory, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The migrations folder '{directory}' does not exist.");
        }

        var files = Directory.GetFiles(directory, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
        var applied = new List<string>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        if (database.Provider.BeforeMigrationsSql is { } prepare)
        {
            await ExecuteAsync(connection, null, prepare, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS {HistoryTable} (id VARCHAR(200) PRIMARY KEY, applied_at VARCHAR(40) NOT NULL)", cancellationToken).ConfigureAwait(false);

        foreach (string file in files)
        {
            string id = Path.GetFileName(file);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (database.Provider.MigrationLockSql is { } takeTurns)
            {
                // Instances starting together take turns; the lock ends with the transaction.
                await ExecuteAsync(connection, transaction, takeTurns, cancellationToken).ConfigureAwait(false);
            }

            await using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = $"SELECT COUNT(*) FROM {HistoryTable} WHERE id = @id";
                RampartSession.AddParameter(check, "@id", DbType.String);
                check.Parameters[0].Value = id;
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            string sql = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = $"INSERT INTO {HistoryTable} (id, applied_at) VALUES (@id, @at)";
                RampartSession.AddParameter(record, "@id", DbType.String);
                RampartSession.AddParameter(record, "@at", DbType.String);
                record.Parameters[0].Value = id;
                record.Parameters[1].Value = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(id);
            if (logger is not null)
            {
                LogApplied(logger, id);
            }
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);
}
