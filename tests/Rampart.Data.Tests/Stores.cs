using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Data.Tests;

public sealed record Note(Guid Id, string Text, int? Rating, DateTimeOffset CreatedAt);

/// <summary>An owner-scoped store: every statement is checked at compile time to filter by the caller's id.</summary>
[OwnerScoped]
public sealed partial class NoteStore
{
    [Sql("INSERT INTO notes (id, owner_id, text, rating, created_at) VALUES (@id, @owner, @text, @rating, @createdAt)")]
    public partial Task<int> InsertAsync(Guid id, OwnerId owner, string text, int? rating, DateTimeOffset createdAt, CancellationToken cancellationToken);

    [Sql("SELECT id, text, rating, created_at FROM notes WHERE id = @id AND owner_id = @owner")]
    public partial Task<Note?> FindAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    [Sql("SELECT id, text, rating, created_at FROM notes WHERE owner_id = @owner ORDER BY created_at, id")]
    public partial Task<IReadOnlyList<Note>> ListAsync(OwnerId owner, CancellationToken cancellationToken);

    [Sql("SELECT id, text, rating, created_at FROM notes WHERE owner_id = @owner ORDER BY created_at, id")]
    public partial IAsyncEnumerable<Note> StreamAsync(OwnerId owner, CancellationToken cancellationToken);

    [Sql("SELECT COUNT(*) FROM notes WHERE owner_id = @owner")]
    public partial Task<long> CountAsync(OwnerId owner, CancellationToken cancellationToken);

    [Sql("SELECT text FROM notes WHERE id = @id AND owner_id = @owner")]
    public partial Task<string?> TextAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    [Sql("UPDATE notes SET text = @text, rating = @rating WHERE id = @id AND owner_id = @owner")]
    public partial Task<int> UpdateAsync(Guid id, OwnerId owner, string text, int? rating, CancellationToken cancellationToken);

    [Sql("DELETE FROM notes WHERE id = @id AND owner_id = @owner")]
    public partial Task<int> DeleteAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    /// <summary>Inserts, or updates the caller's own note of that id; another owner's note is left alone (0 rows).</summary>
    [Sql(OwnerScopeSql.RestrictedUpsert)]
    public partial Task<int> UpsertAsync(Guid id, OwnerId owner, string text, int? rating, DateTimeOffset createdAt, CancellationToken cancellationToken);
}

/// <summary>The upsert RAMP0048 refuses and the one it accepts, shared by the stores and the compile test.</summary>
public static class OwnerScopeSql
{
    /// <summary>Takes over a conflicting row: the existing note gets the caller as owner and the caller's text.</summary>
    public const string TakeoverUpsert =
        "INSERT INTO notes (id, owner_id, text, rating, created_at) VALUES (@id, @owner, @text, @rating, @createdAt) "
        + "ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, text = excluded.text";

    /// <summary>Updates a conflicting row only when the caller owns it.</summary>
    public const string RestrictedUpsert =
        "INSERT INTO notes (id, owner_id, text, rating, created_at) VALUES (@id, @owner, @text, @rating, @createdAt) "
        + "ON CONFLICT (id) DO UPDATE SET text = excluded.text, rating = excluded.rating WHERE notes.owner_id = @owner";
}

/// <summary>
/// The takeover upsert in a store that is NOT owner-scoped, where it compiles, so the test can run it and
/// show what RAMP0048 prevents: under [OwnerScoped] the same method does not compile.
/// </summary>
public sealed partial class UnscopedUpsertStore
{
    [Sql(OwnerScopeSql.TakeoverUpsert)]
    public partial Task<int> UpsertAsync(Guid id, OwnerId owner, string text, int? rating, DateTimeOffset createdAt, CancellationToken cancellationToken);
}

/// <summary>A store that is not owner-scoped (administration), for counting every row.</summary>
public sealed partial class AdminStore
{
    [Sql("SELECT COUNT(*) FROM notes")]
    public partial Task<long> CountAllAsync(CancellationToken cancellationToken);

    [Sql("INSERT INTO audit (id, note_id, action) VALUES (@id, @noteId, @action)")]
    public partial Task<int> AuditAsync(int id, Guid noteId, string action, CancellationToken cancellationToken);

    [Sql("SELECT COUNT(*) FROM audit")]
    public partial Task<long> CountAuditAsync(CancellationToken cancellationToken);
}
