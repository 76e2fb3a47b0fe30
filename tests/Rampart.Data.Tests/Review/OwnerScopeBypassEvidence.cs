using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Data.Tests.Review;

public sealed record Leak(string Text);

/// <summary>
/// Review evidence (not a fix): statements that compile in an [OwnerScoped] store (RAMP0048 accepts them)
/// yet return another owner's rows on PostgreSQL, through functions that run SQL given as text.
/// </summary>
[OwnerScoped]
public sealed partial class ReviewLeakStore
{
    // RunsSqlText() only looks at unquoted words: the quoted name calls the same function.
    [Sql("SELECT \"query_to_xml\"('SELECT owner_id, text FROM notes', true, false, '')::text AS text FROM notes WHERE id = @id AND owner_id = @owner")]
    public partial Task<string?> QuotedQueryToXmlAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    // ts_stat() runs the query it is given; it is not in the list at all.
    [Sql("SELECT (ts_stat('SELECT to_tsvector(''simple'', text) FROM notes')).word AS text FROM notes WHERE id = @id AND owner_id = @owner")]
    public partial Task<IReadOnlyList<Leak>> TsStatAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    // SQLite reads '@id(...)' up to ')' as one (Tcl-style) variable; the checker reads '@id' then a string literal.
    [Sql("SELECT text FROM notes WHERE owner_id = @owner AND id = @id(') OR 1=1 --')")]
    public partial Task<IReadOnlyList<Leak>> TclVariableAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);
}

public sealed class OwnerScopeBypassEvidence(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuotedQueryToXmlReturnsAnotherOwnersNotes()
    {
        await using var db = await TestDatabase.CreateAsync("postgres", postgres);
        var alice = TestDatabase.Owner("alice");
        var bob = TestDatabase.Owner("bob");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice's note", null, Now, Ct));
        Assert.Equal(1, await db.Notes.InsertAsync(Guid.NewGuid(), bob, "bob-secret-pin-4711", null, Now, Ct));

        string? xml = await new ReviewLeakStore(db.Database).QuotedQueryToXmlAsync(mine, alice, Ct);

        // The guarantee: alice sees only her rows. She gets bob's.
        Assert.DoesNotContain("bob-secret-pin-4711", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TsStatReturnsTheWordsOfAnotherOwnersNotes()
    {
        await using var db = await TestDatabase.CreateAsync("postgres", postgres);
        var alice = TestDatabase.Owner("alice");
        var bob = TestDatabase.Owner("bob");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice", null, Now, Ct));
        Assert.Equal(1, await db.Notes.InsertAsync(Guid.NewGuid(), bob, "bobsecret", null, Now, Ct));

        var words = await new ReviewLeakStore(db.Database).TsStatAsync(mine, alice, Ct);

        Assert.DoesNotContain(new Leak("bobsecret"), words);
    }

    [Fact]
    public async Task TclVariableOnSqlite()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite", postgres);
        var alice = TestDatabase.Owner("alice");
        var bob = TestDatabase.Owner("bob");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice", null, Now, Ct));
        Assert.Equal(1, await db.Notes.InsertAsync(Guid.NewGuid(), bob, "bobsecret", null, Now, Ct));

        var e = await Record.ExceptionAsync(() => new ReviewLeakStore(db.Database).TclVariableAsync(mine, alice, Ct));

        // Microsoft.Data.Sqlite refuses the unbound '@id(...)' variable: the read differs, but nothing leaks.
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("@id(')", e.Message, StringComparison.Ordinal);
    }
}
