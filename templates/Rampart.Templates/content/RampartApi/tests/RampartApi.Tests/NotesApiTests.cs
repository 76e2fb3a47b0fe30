using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using RampartApi.Notes;

namespace RampartApi.Tests;

/// <summary>POST /api/notes over HTTP, as a client calls it.</summary>
public sealed class NotesApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_without_a_token_is_refused()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/notes", new { title = "Hello" }, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_permission_is_forbidden()
    {
        var response = await factory.CreateClientFor("alice", "notes:read").PostAsJsonAsync("/api/notes", new { title = "Hello" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_note_is_created_and_stored_for_the_caller()
    {
        string title = $"Note {Guid.NewGuid():N}";
        var response = await factory.CreateClientFor("alice", "notes:write").PostAsJsonAsync("/api/notes", new { title, text = "First note" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var note = await response.Content.ReadFromJsonAsync<Note>(Cancel);
        Assert.NotNull(note);
        Assert.Equal(title, note.Title);
        Assert.Equal($"/api/notes/{note.Id}", response.Headers.Location?.ToString());

        // The row is in the database, owned by the caller.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "rampart.db")}");
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT owner_id FROM notes WHERE title = $title";
        command.Parameters.AddWithValue("$title", title);
        Assert.Equal("alice", await command.ExecuteScalarAsync(Cancel));
    }

    [Theory]
    [InlineData("{}")]                                          // the title is required
    [InlineData("""{"title":""}""")]                            // too short
    [InlineData("""{"title":"Hello","owner":"mallory"}""")]     // an unknown member is refused, not ignored
    [InlineData("""{"title":"Hello",""")]                       // not JSON
    public async Task A_bad_body_is_a_400_problem(string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await factory.CreateClientFor("alice", "notes:write").PostAsync("/api/notes", content, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
