using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rampart.Authentication;

/// <summary>
/// The default <see cref="IRefreshTokenStore"/>: a SQLite table (created on first use) keyed by the
/// token's SHA-256. A redemption is one conditional <c>UPDATE … RETURNING</c>, so of concurrent
/// redemptions exactly one changes the row and wins. Every statement is a constant with parameters.
/// </summary>
public sealed class SqliteRefreshTokenStore : IRefreshTokenStore
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS rampart_refresh_tokens (
          token_hash BLOB NOT NULL PRIMARY KEY,
          family_id TEXT NOT NULL,
          subject TEXT NOT NULL,
          scope TEXT NOT NULL,
          access_token_id TEXT NOT NULL,
          access_expires_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at INTEGER NULL,
          revoked INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_rampart_refresh_tokens_family ON rampart_refresh_tokens (family_id);
        CREATE INDEX IF NOT EXISTS ix_rampart_refresh_tokens_access ON rampart_refresh_tokens (access_token_id);
        CREATE INDEX IF NOT EXISTS ix_rampart_refresh_tokens_subject ON rampart_refresh_tokens (subject);
        """;

    // Not stored when the family has been revoked (SQLite runs writes one at a time, so a revocation is
    // either before this insert and seen here, or after it and covers the new row).
    private const string Insert = """
        INSERT INTO rampart_refresh_tokens (token_hash, family_id, subject, scope, access_token_id, access_expires_at, expires_at)
        SELECT $hash, $family, $subject, $scope, $access, $accessExpires, $expires
        WHERE NOT EXISTS (SELECT 1 FROM rampart_refresh_tokens WHERE family_id = $family AND revoked = 1)
        """;

    private const string Redeem = """
        UPDATE rampart_refresh_tokens SET used_at = $now
        WHERE token_hash = $hash AND used_at IS NULL AND revoked = 0 AND expires_at > $now
        RETURNING family_id, subject, scope, access_token_id, access_expires_at, expires_at
        """;

    private const string Inspect = """
        SELECT family_id, subject, scope, access_token_id, access_expires_at, expires_at, used_at, revoked
        FROM rampart_refresh_tokens WHERE token_hash = $hash
        """;

    private const string RevokeFamily = "UPDATE rampart_refresh_tokens SET revoked = 1 WHERE family_id = $family";

    // One statement: a family started while it runs is either revoked and listed, or neither.
    private const string RevokeSubject = "UPDATE rampart_refresh_tokens SET revoked = 1 WHERE subject = $subject RETURNING access_token_id, access_expires_at";

    private const string FamilyAccessTokens = "SELECT access_token_id, access_expires_at FROM rampart_refresh_tokens WHERE family_id = $family";

    private const string FindFamily = "SELECT family_id FROM rampart_refresh_tokens WHERE access_token_id = $access LIMIT 1";

    // A day past the family's expiry, so a late reuse is still recognised as such.
    private const string DeleteExpired = "DELETE FROM rampart_refresh_tokens WHERE expires_at < $limit";

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private long _nextSweepTicks;

    /// <summary>Creates a store on the SQLite database of <paramref name="connectionString"/>.</summary>
    public SqliteRefreshTokenStore(string connectionString, TimeProvider? time = null)
    {
        _database = new SqliteDatabase(connectionString, CreateTable);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async ValueTask<bool> AddAsync(RefreshTokenEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int rows;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Insert;
            AddEntryParameters(command, entry);
            rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        long now = _time.GetUtcNow().UtcTicks;
        long next = Interlocked.Read(ref _nextSweepTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, next) == next)
        {
            await using var sweep = connection.CreateCommand();
            sweep.CommandText = DeleteExpired;
            sweep.Parameters.AddWithValue("$limit", (_time.GetUtcNow() - TimeSpan.FromDays(1)).ToUnixTimeSeconds());
            await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return rows == 1;
    }

    /// <inheritdoc />
    public async ValueTask<RefreshTokenRedemption> RedeemAsync(byte[] tokenHash, DateTimeOffset now, Func<RefreshTokenEntry, RefreshTokenEntry> successor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentNullException.ThrowIfNull(successor);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE: the write lock is taken first, so the redemption and its successor are one step
        // that no other redemption or family revocation can interleave with.
        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            RefreshTokenEntry? redeemed = null;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Redeem;
                command.Parameters.AddWithValue("$hash", tokenHash);
                command.Parameters.AddWithValue("$now", now.ToUnixTimeSeconds());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    redeemed = ReadEntry(reader, tokenHash);
                }
            }

            if (redeemed is not null)
            {
                var next = successor(redeemed);
                await using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText = Insert;
                    AddEntryParameters(insert, next);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new RefreshTokenRedemption(RefreshTokenRedemptionStatus.Redeemed, redeemed);
            }

            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }

        // Not redeemed: say why (the reason decides whether the family is revoked). Unused and unrevoked is expired.
        return await InspectAsync(connection, tokenHash, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<RefreshTokenRedemption> InspectAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await InspectAsync(connection, tokenHash, now, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RefreshTokenRedemption> InspectAsync(SqliteConnection connection, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Inspect;
        command.Parameters.AddWithValue("$hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return new RefreshTokenRedemption(RefreshTokenRedemptionStatus.NotFound, null);
        }

        var entry = ReadEntry(reader, tokenHash);
        var status = reader.GetInt64(7) != 0 ? RefreshTokenRedemptionStatus.Revoked
            : !reader.IsDBNull(6) ? RefreshTokenRedemptionStatus.Reused
            : entry.ExpiresAt > now ? RefreshTokenRedemptionStatus.Redeemed
            : RefreshTokenRedemptionStatus.Expired;
        return new RefreshTokenRedemption(status, entry);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeFamilyAsync(string familyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(familyId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = RevokeFamily;
            command.Parameters.AddWithValue("$family", familyId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = FamilyAccessTokens;
            command.Parameters.AddWithValue("$family", familyId);
            return await ReadAccessTokensAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = RevokeSubject;
        command.Parameters.AddWithValue("$subject", subject);
        return await ReadAccessTokensAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<IssuedAccessToken>> ReadAccessTokensAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var accessTokens = new List<IssuedAccessToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accessTokens.Add(new IssuedAccessToken(reader.GetString(0), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1))));
        }

        return accessTokens;
    }

    /// <inheritdoc />
    public async ValueTask<string?> FindFamilyAsync(string accessTokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessTokenId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = FindFamily;
        command.Parameters.AddWithValue("$access", accessTokenId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static void AddEntryParameters(SqliteCommand command, RefreshTokenEntry entry)
    {
        command.Parameters.AddWithValue("$hash", entry.TokenHash);
        command.Parameters.AddWithValue("$family", entry.FamilyId);
        command.Parameters.AddWithValue("$subject", entry.Subject);
        command.Parameters.AddWithValue("$scope", entry.Scope);
        command.Parameters.AddWithValue("$access", entry.AccessTokenId);
        command.Parameters.AddWithValue("$accessExpires", entry.AccessTokenExpiresAt.ToUnixTimeSeconds());
        command.Parameters.AddWithValue("$expires", entry.ExpiresAt.ToUnixTimeSeconds());
    }

    private static RefreshTokenEntry ReadEntry(SqliteDataReader reader, byte[] tokenHash) => new(
        tokenHash,
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)),
        DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(5)));
}
