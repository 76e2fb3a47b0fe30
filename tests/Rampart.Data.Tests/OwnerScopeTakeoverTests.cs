using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>
/// Why RAMP0048 treats ON CONFLICT … DO UPDATE as an UPDATE: run on a real database, an upsert that
/// assigns the owner column from the inserted row moves another owner's row to the caller. The same SQL
/// in an [OwnerScoped] store no longer compiles; the upsert the rule accepts leaves the row alone.
/// </summary>
public sealed class OwnerScopeTakeoverTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => Tests.Providers.All;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnUpsertThatAssignsTheOwnerColumnTakesAnotherOwnersRow(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var bob = TestDatabase.Owner("bob");
        var id = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(id, bob, "bob's note", 5, Now, Ct));

        // Alice only knows the id; the conflict update hands her bob's row.
        Assert.Equal(1, await new UnscopedUpsertStore(db.Database).UpsertAsync(id, alice, "alice's now", null, Now, Ct));

        Assert.Null(await db.Notes.FindAsync(id, bob, Ct));
        Assert.Equal("alice's now", (await db.Notes.FindAsync(id, alice, Ct))!.Text);
        Assert.Equal(1, await db.Admin.CountAllAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TheUpsertTheRuleAcceptsLeavesAnotherOwnersRowAlone(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var bob = TestDatabase.Owner("bob");
        var bobs = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(bobs, bob, "bob's note", 5, Now, Ct));

        Assert.Equal(0, await db.Notes.UpsertAsync(bobs, alice, "alice's now", null, Now, Ct));
        Assert.Equal(new Note(bobs, "bob's note", 5, Now), await db.Notes.FindAsync(bobs, bob, Ct));
        Assert.Null(await db.Notes.FindAsync(bobs, alice, Ct));

        // Her own notes: inserted, then updated.
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.UpsertAsync(mine, alice, "first", 1, Now, Ct));
        Assert.Equal(1, await db.Notes.UpsertAsync(mine, alice, "second", 2, Now, Ct));
        Assert.Equal(new Note(mine, "second", 2, Now), await db.Notes.FindAsync(mine, alice, Ct));
        Assert.Equal(2, await db.Admin.CountAllAsync(Ct));
    }

    [Fact]
    public void TheTakeoverUpsertDoesNotCompileInAnOwnerScopedStore()
    {
        var refused = Assert.Single(GeneratorRun.Diagnostics(Store("[OwnerScoped]", OwnerScopeSql.TakeoverUpsert)));
        Assert.Equal("RAMP0048", refused.Id);
        Assert.Equal(DiagnosticSeverity.Error, refused.Severity);
        Assert.Contains("sets 'owner_id'", refused.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // The unrestricted conflict update without the owner assignment is refused too.
        string overwrite = OwnerScopeSql.TakeoverUpsert.Replace("owner_id = excluded.owner_id, ", string.Empty, StringComparison.Ordinal);
        Assert.Contains("can change a row another owner holds", Assert.Single(GeneratorRun.Diagnostics(Store("[OwnerScoped]", overwrite))).GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Empty(GeneratorRun.Diagnostics(Store("[OwnerScoped]", OwnerScopeSql.RestrictedUpsert)));
        Assert.Empty(GeneratorRun.Diagnostics(Store(string.Empty, OwnerScopeSql.TakeoverUpsert)));
    }

    private static string Store(string attribute, string sql) => $$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Rampart;

        namespace Takeover;

        {{attribute}}
        public sealed partial class NoteUpserts
        {
            [Sql("{{sql}}")]
            public partial Task<int> UpsertAsync(Guid id, OwnerId owner, string text, int? rating, DateTimeOffset createdAt, CancellationToken cancellationToken);
        }
        """;
}
