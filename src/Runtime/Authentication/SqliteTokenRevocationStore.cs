using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace Rampart.Authentication;

/// <summary>
/// The default <see cref="ITokenRevocationStore"/>: a SQLite table (created on first use) that survives
/// restarts and is shared by the processes of one host, mirrored in memory so that the check every
/// authenticated request makes is a dictionary look-up instead of a query.
/// </summary>
/// <remarks>
/// <para>
/// The table is an append-only log of revocations (<c>seq</c>, <c>token_id</c>, <c>keep_until</c>). Each store
/// keeps the ids it has read and the last <c>seq</c>; it reads the rows after that <c>seq</c> again when the
/// database's <see cref="RevocationEpoch"/> changed (every store changes it after committing a revocation,
/// in any process: a revocation that <see cref="RevokeAsync"/> has returned from is seen by the very next
/// check everywhere), and at least once a second regardless (a safety net for an epoch file that was
/// replaced; it also makes an unreadable database fail requests closed within a second).
/// </para>
/// <para>
/// Every statement is a constant with parameters. Entries are kept until the token's expiry plus five
/// minutes (the largest clock skew allowed) — subject revocations until their <c>keepUntil</c> — and swept at
/// most once a minute as revocations arrive.
/// </para>
/// </remarks>
public sealed class SqliteTokenRevocationStore : ITokenRevocationStore, IDisposable
{
    // A row with not_before is a subject revocation (token_id holds the subject): its tokens with an iat before
    // not_before are revoked. A reader of an earlier version takes it for a jti, which revokes nothing else.
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS rampart_token_revocations (seq INTEGER PRIMARY KEY AUTOINCREMENT, token_id TEXT NOT NULL, keep_until INTEGER NOT NULL, not_before INTEGER NULL);\n" +
        "CREATE INDEX IF NOT EXISTS rampart_token_revocations_keep_until ON rampart_token_revocations (keep_until)";

    // The table of versions before subject revocation.
    private const string AddNotBefore = "ALTER TABLE rampart_token_revocations ADD COLUMN not_before INTEGER NULL";

    private const string Insert = "INSERT INTO rampart_token_revocations (token_id, keep_until) VALUES ($id, $until)";

    private const string InsertSubject = "INSERT INTO rampart_token_revocations (token_id, keep_until, not_before) VALUES ($subject, $until, $notBefore)";

    // AUTOINCREMENT: a seq is never reused after a sweep, and writers are serialized, so rows are read in commit order.
    private const string SelectSince = "SELECT seq, token_id, keep_until, not_before FROM rampart_token_revocations WHERE seq > $seq ORDER BY seq";

    private const string DeleteExpired = "DELETE FROM rampart_token_revocations WHERE keep_until < $now";

    // The table's AUTOINCREMENT high-water mark: below the last seq read only if the database was replaced
    // or restored from a backup, and then the copy is rebuilt from scratch (rows with lower seqs would be missed).
    private const string HighWaterMark = "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'rampart_token_revocations'";

    // The table of the first versions (token_id PRIMARY KEY, no seq): its live rows are moved over once,
    // so an upgrade does not forget revocations.
    private const string MoveLegacyRows =
        "INSERT INTO rampart_token_revocations (token_id, keep_until) " +
        "SELECT token_id, keep_until FROM rampart_revoked_tokens WHERE keep_until >= $now;\n" +
        "DROP TABLE rampart_revoked_tokens";

    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(1);

    private readonly SqliteDatabase _database;
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private RevocationEpoch? _epoch;

    // token_id → UTC ticks until which it is listed (the latest of its revocations).
    private readonly ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal);
    private readonly SubjectRevocations _subjects = new();
    private readonly SemaphoreSlim _sync = new(1, 1);
    private SqliteConnection? _syncConnection;
    private SqliteCommand? _syncCommand;
    private long _lastSeq;
    private long _syncedEpoch;
    private long _nextSyncTicks;
    private long _nextPruneTicks;
    private long _nextSweepTicks;
    private volatile bool _disposed;

    /// <summary>Creates a store on the SQLite database of <paramref name="connectionString"/> (e.g. <c>Data Source=App_Data/rampart.db</c>).</summary>
    public SqliteTokenRevocationStore(string connectionString, TimeProvider? time = null)
    {
        _database = new SqliteDatabase(connectionString, CreateTable,
            static connection => SqliteDatabase.AddColumnIfMissing(connection, "rampart_token_revocations", "not_before", AddNotBefore));
        _connectionString = connectionString;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        long now = _time.GetUtcNow().UtcTicks;
        if (Volatile.Read(ref _epoch) is { } epoch && epoch.Read() == Volatile.Read(ref _syncedEpoch) && now < Volatile.Read(ref _nextSyncTicks))
        {
            return new ValueTask<bool>(IsListed(tokenId, subject, issuedAt, now));
        }

        return SyncThenCheckAsync(tokenId, subject, issuedAt, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        DateTimeOffset keepUntil = expiresAt + Retention;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Insert;
            command.Parameters.AddWithValue("$id", tokenId);
            command.Parameters.AddWithValue("$until", keepUntil.ToUnixTimeSeconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Committed: every store on this database (this process or another) re-reads before its next check,
        // and this one lists it at once.
        Epoch().Change();
        List(tokenId, DateTimeOffset.FromUnixTimeSeconds(keepUntil.ToUnixTimeSeconds()).UtcTicks);
        await SweepIfDueAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ObjectDisposedException.ThrowIf(_disposed, this);
        long notBeforeSeconds = SubjectRevocations.Seconds(notBefore);
        long keepUntilSeconds = keepUntil.ToUnixTimeSeconds();
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = InsertSubject;
            command.Parameters.AddWithValue("$subject", subject);
            command.Parameters.AddWithValue("$until", keepUntilSeconds);
            command.Parameters.AddWithValue("$notBefore", notBeforeSeconds);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // As for a token: seen by every store's next check, and by this one at once.
        Epoch().Change();
        _subjects.List(subject, notBeforeSeconds, DateTimeOffset.FromUnixTimeSeconds(keepUntilSeconds).UtcTicks);
        await SweepIfDueAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the entries of tokens that can no longer be accepted anyway; returns how many rows were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SweepAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection the store reads revocations with.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (_sync.Wait(TimeSpan.FromSeconds(5)))
        {
            CloseSyncConnection();
            _sync.Release();
        }

        Volatile.Read(ref _epoch)?.Dispose();
    }

    // Opened on first use, not in the constructor: a file that cannot be created or mapped is a store
    // failure like an unreadable database (the request fails closed with 503), not a DI resolution error.
    private RevocationEpoch Epoch()
    {
        if (Volatile.Read(ref _epoch) is { } epoch)
        {
            return epoch;
        }

        var opened = RevocationEpoch.Open(_connectionString);
        if (Interlocked.CompareExchange(ref _epoch, opened, null) is { } raced)
        {
            opened.Dispose();
            return raced;
        }

        if (_disposed)
        {
            // Dispose ran while the file was being mapped: it may not have seen this mapping.
            opened.Dispose();
            ObjectDisposedException.ThrowIf(true, this);
        }

        return opened;
    }

    private bool IsListed(string tokenId, string? subject, DateTimeOffset? issuedAt, long now) =>
        (_revoked.TryGetValue(tokenId, out long until) && now <= until) || _subjects.IsRevoked(subject, issuedAt);

    private void List(string tokenId, long untilTicks) =>
        _revoked.AddOrUpdate(tokenId, static (_, added) => added, static (_, listed, added) => Math.Max(listed, added), untilTicks);

    private async ValueTask<bool> SyncThenCheckAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken)
    {
        await _sync.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long now = _time.GetUtcNow().UtcTicks;
            // The epoch is read before the rows: a revocation committed after this read changes it again.
            long epoch = Epoch().Read();
            if (epoch != _syncedEpoch || now >= _nextSyncTicks)
            {
                await ReadNewRevocationsAsync(cancellationToken).ConfigureAwait(false);
                if (now >= _nextPruneTicks)
                {
                    Prune(now);
                    _nextPruneTicks = now + SweepInterval.Ticks;
                }

                Volatile.Write(ref _syncedEpoch, epoch);
                Volatile.Write(ref _nextSyncTicks, now + ResyncInterval.Ticks);
            }

            return IsListed(tokenId, subject, issuedAt, now);
        }
        finally
        {
            _sync.Release();
        }
    }

    // Called under _sync. On any failure the connection is dropped (it may be broken) and the exception
    // propagates: the request fails closed, and the next check tries again.
    private async Task ReadNewRevocationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_syncCommand is null)
            {
                _syncConnection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
                MoveLegacyTable(_syncConnection);
                _syncCommand = _syncConnection.CreateCommand();
                _syncCommand.CommandText = SelectSince;
                _syncCommand.Parameters.Add("$seq", SqliteType.Integer);
                _syncCommand.Prepare();
            }

            if (_lastSeq > 0)
            {
                using var mark = _syncConnection!.CreateCommand();
                mark.CommandText = HighWaterMark;
                if ((long)mark.ExecuteScalar()! < _lastSeq)
                {
                    // Replaced or restored: start over (what is listed now is what the table holds).
                    _revoked.Clear();
                    _subjects.Clear();
                    _lastSeq = 0;
                }
            }

            _syncCommand.Parameters[0].Value = _lastSeq;
            // Synchronous on purpose: Microsoft.Data.Sqlite's async methods run synchronously anyway.
            using var reader = _syncCommand.ExecuteReader();
            while (reader.Read())
            {
                long seq = reader.GetInt64(0);
                long keepUntil = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(reader.GetInt64(2), 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds())).UtcTicks;
                if (reader.IsDBNull(3))
                {
                    List(reader.GetString(1), keepUntil);
                }
                else
                {
                    _subjects.List(reader.GetString(1), reader.GetInt64(3), keepUntil);
                }

                _lastSeq = seq;
            }
        }
        catch
        {
            CloseSyncConnection();
            throw;
        }
    }

    private void MoveLegacyTable(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one process moves the rows
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'rampart_revoked_tokens'";
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return;
        }

        using var move = connection.CreateCommand();
        move.Transaction = transaction;
        move.CommandText = MoveLegacyRows;
        move.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
        move.ExecuteNonQuery();
        transaction.Commit();
        Epoch().Change(); // the other stores on this database read the moved rows at once
    }

    private void Prune(long now)
    {
        foreach (var pair in _revoked)
        {
            if (pair.Value < now)
            {
                _revoked.TryRemove(pair);
            }
        }

        _subjects.Prune(now);
    }

    private void CloseSyncConnection()
    {
        _syncCommand?.Dispose();
        _syncConnection?.Dispose();
        _syncCommand = null;
        _syncConnection = null;
    }

    private async Task SweepIfDueAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        long now = _time.GetUtcNow().UtcTicks;
        long next = Interlocked.Read(ref _nextSweepTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, next) == next)
        {
            await SweepAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> SweepAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = DeleteExpired;
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeSeconds());
        int deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Prune(_time.GetUtcNow().UtcTicks);
        return deleted;
    }
}
