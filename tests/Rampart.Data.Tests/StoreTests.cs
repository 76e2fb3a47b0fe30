using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>Generated stores against SQLite and a real PostgreSQL server: the same tests, the same stores.</summary>
public sealed class StoreTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => Tests.Providers.All;

    public static TheoryData<string, string> InjectionStrings()
    {
        var data = new TheoryData<string, string>();
        foreach (string provider in new[] { "sqlite", "postgres" })
        {
            foreach (string text in new[]
            {
                "' OR 1=1 --",
                "'; DROP TABLE notes; --",
                "\u2019 OR \u20181\u2019=\u20181",          // unicode quotes
                "\"; DELETE FROM notes WHERE \"\"=\"",
                "@owner",
                "Robert'); DROP TABLE audit;--",
                "\\'; SELECT pg_sleep(10); --",
                "line\nbreak\r\n\t and \u0000-free unicode: ÅÄÖ 漢字 🙂",
            })
            {
                data.Add(provider, text.Replace("\u0000", string.Empty, StringComparison.Ordinal));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ACanceledCallWritesNothingAndTheStoreStaysUsable(string provider)
    {
        // SQLite commands run synchronously (no Task per call); a canceled token must still stop a call
        // before it touches the database, on both providers, and the next call must work normally.
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Notes.InsertAsync(Guid.NewGuid(), alice, "never", null, Now, canceled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Notes.ListAsync(alice, canceled.Token));

        Assert.Equal(0, await db.Admin.CountAllAsync(Ct));
        var id = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(id, alice, "kept", null, Now, Ct));
        Assert.Equal("kept", Assert.Single(await db.Notes.ListAsync(alice, Ct)).Text);
    }

    [Theory]
    [MemberData(nameof(InjectionStrings))]
    public async Task InjectionStringsAreStoredAndReadBackVerbatim(string provider, string text)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var id = Guid.NewGuid();

        Assert.Equal(1, await db.Notes.InsertAsync(id, alice, text, null, Now, Ct));

        Assert.Equal(text, (await db.Notes.FindAsync(id, alice, Ct))!.Text);
        Assert.Equal(text, await db.Notes.TextAsync(id, alice, Ct));
        // Nothing was dropped or deleted, and no other row appeared.
        Assert.Equal(1, await db.Admin.CountAllAsync(Ct));
        Assert.Equal(0, await db.Admin.CountAuditAsync(Ct));
        // The text used as a filter value matches only itself.
        Assert.Equal(1, await db.Notes.UpdateAsync(id, alice, text + text, 5, Ct));
        Assert.Equal(text + text, await db.Notes.TextAsync(id, alice, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryReturnShapeRoundTripsValuesAndNulls(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await db.Notes.InsertAsync(first, alice, "first", null, Now, Ct);
        await db.Notes.InsertAsync(second, alice, "second", 4, Now.AddMinutes(1), Ct);

        var found = await db.Notes.FindAsync(second, alice, Ct);
        Assert.Equal(new Note(second, "second", 4, Now.AddMinutes(1)), found);
        Assert.Null((await db.Notes.FindAsync(first, alice, Ct))!.Rating);      // NULL column → null
        Assert.Null(await db.Notes.FindAsync(Guid.NewGuid(), alice, Ct));        // no row → null

        var list = await db.Notes.ListAsync(alice, Ct);
        Assert.Equal(new[] { first, second }, list.Select(n => n.Id));

        var streamed = new List<Note>();
        await foreach (var note in db.Notes.StreamAsync(alice, Ct))
        {
            streamed.Add(note);
        }

        Assert.Equal(list, streamed);
        Assert.Equal(2, await db.Notes.CountAsync(alice, Ct));
        Assert.Null(await db.Notes.TextAsync(Guid.NewGuid(), alice, Ct));

        Assert.Equal(1, await db.Notes.UpdateAsync(first, alice, "changed", null, Ct));
        Assert.Equal(1, await db.Notes.DeleteAsync(second, alice, Ct));
        Assert.Equal(0, await db.Notes.DeleteAsync(second, alice, Ct));
        Assert.Equal(new[] { "changed" }, (await db.Notes.ListAsync(alice, Ct)).Select(n => n.Text));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StoppingAStreamEarlyReturnsItsSessionForReuse(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        for (int i = 0; i < 3; i++)
        {
            await db.Notes.InsertAsync(Guid.NewGuid(), alice, "n" + i, i, Now.AddSeconds(i), Ct);
        }

        await foreach (var note in db.Notes.StreamAsync(alice, Ct))
        {
            Assert.Equal("n0", note.Text);
            break;
        }

        // Inside a unit of work, an early stop is not a failure: the work still commits.
        await using (var work = db.Database.BeginUnitOfWork())
        {
            await foreach (var note in db.Notes.StreamAsync(alice, Ct))
            {
                break;
            }

            await db.Notes.InsertAsync(Guid.NewGuid(), alice, "after", null, Now, Ct);
            await work.CommitAsync(Ct);
        }

        Assert.Equal(4, await db.Notes.CountAsync(alice, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnotherOwnerCannotReadChangeOrDelete(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var mallory = TestDatabase.Owner("mallory");
        var id = Guid.NewGuid();
        await db.Notes.InsertAsync(id, alice, "alice's", 1, Now, Ct);

        Assert.Null(await db.Notes.FindAsync(id, mallory, Ct));
        Assert.Null(await db.Notes.TextAsync(id, mallory, Ct));
        Assert.Empty(await db.Notes.ListAsync(mallory, Ct));
        Assert.Equal(0, await db.Notes.CountAsync(mallory, Ct));
        Assert.Equal(0, await db.Notes.UpdateAsync(id, mallory, "mallory's", 5, Ct));
        Assert.Equal(0, await db.Notes.DeleteAsync(id, mallory, Ct));

        Assert.Equal(new Note(id, "alice's", 1, Now), await db.Notes.FindAsync(id, alice, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DefaultOwnerIdNeverReachesTheDatabase(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Notes.ListAsync(default, Ct));
        Assert.Equal(0, await db.Admin.CountAllAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentInsertsAllLand(string provider)
    {
        const int N = 200;
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var owners = Enumerable.Range(0, 4).Select(i => TestDatabase.Owner("user" + i)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, N).Select(i => Task.Run(
            () => db.Notes.InsertAsync(Guid.NewGuid(), owners[i % owners.Length], "note " + i, i, Now.AddMilliseconds(i), Ct), Ct)));

        Assert.All(results, r => Assert.Equal(1, r));
        Assert.Equal(N, await db.Admin.CountAllAsync(Ct));
        Assert.Equal(N / owners.Length, await db.Notes.CountAsync(owners[0], Ct));
        var texts = (await db.Notes.ListAsync(owners[1], Ct)).Select(n => n.Text).ToHashSet();
        Assert.Equal(Enumerable.Range(0, N).Where(i => i % 4 == 1).Select(i => "note " + i).ToHashSet(), texts);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UnitOfWorkCommitsEveryWrite(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var id = Guid.NewGuid();
        await using (var work = db.Database.BeginUnitOfWork())
        {
            await db.Notes.InsertAsync(id, alice, "with audit", null, Now, Ct);
            await db.Admin.AuditAsync(1, id, "created", Ct);
            // Reads inside the unit of work see its own writes.
            Assert.Equal(1, await db.Notes.CountAsync(alice, Ct));
            await work.CommitAsync(Ct);
        }

        Assert.Equal(1, await db.Admin.CountAllAsync(Ct));
        Assert.Equal(1, await db.Admin.CountAuditAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AFailedStoreCallInsideAUnitOfWorkLeavesNoPartialWrite(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        var id = Guid.NewGuid();
        await using (var work = db.Database.BeginUnitOfWork())
        {
            await db.Notes.InsertAsync(id, alice, "first write", null, Now, Ct);
            await db.Admin.AuditAsync(1, id, "created", Ct);
            // The second audit row reuses the primary key: the database refuses it.
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Admin.AuditAsync(1, id, "again", Ct));
            // Even when the caller swallows the failure, the work cannot be committed.
            await Assert.ThrowsAsync<InvalidOperationException>(() => work.CommitAsync(Ct));
        }

        Assert.Equal(0, await db.Admin.CountAllAsync(Ct));
        Assert.Equal(0, await db.Admin.CountAuditAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnExceptionInTheCallerRollsTheUnitOfWorkBack(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        async Task Work()
        {
            await using var work = db.Database.BeginUnitOfWork();
            await db.Notes.InsertAsync(Guid.NewGuid(), alice, "never committed", null, Now, Ct);
            throw new TimeoutException("the handler failed after the write");
        }

        await Assert.ThrowsAsync<TimeoutException>(Work);
        Assert.Equal(0, await db.Admin.CountAllAsync(Ct));
        // The connection went back to the pool in a clean state: later calls work.
        await db.Notes.InsertAsync(Guid.NewGuid(), alice, "later", null, Now, Ct);
        Assert.Equal(1, await db.Admin.CountAllAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UnitsOfWorkDoNotNest(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        await using var outer = db.Database.BeginUnitOfWork();
        Assert.Throws<InvalidOperationException>(() => db.Database.BeginUnitOfWork());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ADatabaseFailureIsADbExceptionAndTheSessionIsNotReused(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres, migrate: false);
        // No migrations: the table does not exist.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Admin.CountAllAsync(Ct));
        await RampartMigrations.ApplyAsync(db.Database, TestDatabase.MigrationsFolder, cancellationToken: Ct);
        Assert.Equal(0, await db.Admin.CountAllAsync(Ct));
    }
}
