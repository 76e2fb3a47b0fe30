using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rampart.Authentication;

/// <summary>
/// The default <see cref="ITokenRevocationStore"/>: a SQLite table (created on first use) that survives
/// restarts and is shared by the processes of one host. Every statement is a constant with parameters.
/// Entries are kept until the token's expiry plus five minutes (the largest clock skew allowed) and
/// swept at most once a minute as revocations arrive.
/// </summary>
public sealed class SqliteTokenRevocationStore : ITokenRevocationStore
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS rampart_revoked_tokens (token_id TEXT NOT NULL PRIMARY KEY, keep_until INTEGER NOT NULL) WITHOUT ROWID";

    private const string SelectRevoked = "SELECT 1 FROM rampart_revoked_tokens WHERE token_id = $id";

    // A second revocation of the same token keeps the later deadline.
    private const string Upsert =
        "INSERT INTO rampart_revoked_tokens (token_id, keep_until) VALUES ($id, $until) " +
        "ON CONFLICT (token_id) DO UPDATE SET keep_until = max(keep_until, excluded.keep_until)";

    private const string DeleteExpired = "DELETE FROM rampart_revoked_tokens WHERE keep_until < $now";

    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private long _nextSweepTicks;

    /// <summary>Creates a store on the SQLite database of <paramref name="connectionString"/> (e.g. <c>Data Source=App_Data/rampart.db</c>).</summary>
    public SqliteTokenRevocationStore(string connectionString, TimeProvider? time = null)
    {
        _database = new SqliteDatabase(connectionString, CreateTable);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsRevokedAsync(string tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectRevoked;
        command.Parameters.AddWithValue("$id", tokenId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Upsert;
            command.Parameters.AddWithValue("$id", tokenId);
            command.Parameters.AddWithValue("$until", (expiresAt + Retention).ToUnixTimeSeconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long now = _time.GetUtcNow().UtcTicks;
        long next = Interlocked.Read(ref _nextSweepTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, next) == next)
        {
            await SweepAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the entries of tokens that can no longer be accepted anyway; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SweepAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> SweepAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = DeleteExpired;
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
