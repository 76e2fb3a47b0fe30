using Rampart;

namespace RampartApi.Notes;

/// <summary>
/// The notes table. The generator writes each method's body from its SQL: a prepared command with typed
/// parameters. [OwnerScoped]: the compiler checks that every statement is limited to the caller's rows.
/// </summary>
[OwnerScoped]
public sealed partial class NoteStore
{
    /// <summary>Stores a new note of <paramref name="owner"/>.</summary>
    [Sql("""
        INSERT INTO notes (id, owner_id, title, text, created_at)
        VALUES (@id, @owner, @title, @text, @createdAt)
        """)]
    public partial Task<int> InsertAsync(Guid id, OwnerId owner, string title, string? text, DateTimeOffset createdAt, CancellationToken cancellationToken);
}
