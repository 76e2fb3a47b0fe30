using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Rampart;

namespace RampartApi.Notes;

/// <summary>Saves a note owned by the caller. Callers need the notes:write permission.</summary>
[SecureEndpoint("POST", "/api/notes", Permission = "notes:write", RateLimit = "10/second")]
public sealed partial record CreateNote
{
    /// <summary>The title: 1 to 100 characters.</summary>
    [StringLength(100, MinimumLength = 1)]
    public required string Title { get; init; }

    /// <summary>The text, up to 2000 characters; kept out of the logs.</summary>
    [MaxLength(2000), Sensitive]
    public string? Text { get; init; }

    // The owner is the authenticated caller (the token's subject), never a value from the request.
    static async ValueTask<Created<Note>> HandleAsync(
        CreateNote request, OwnerId owner, NoteStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var note = new Note(Guid.NewGuid(), request.Title, request.Text, time.GetUtcNow());
        await store.InsertAsync(note.Id, owner, note.Title, note.Text, note.CreatedAt, cancellationToken);
        return TypedResults.Created($"/api/notes/{note.Id}", note);
    }
}

/// <summary>A note as the API returns it.</summary>
public sealed record Note(Guid Id, string Title, string? Text, DateTimeOffset CreatedAt);
