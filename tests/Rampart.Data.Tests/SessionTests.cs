using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>Prepared commands are created once per pooled connection and then only rebound; a failed session is not reused.</summary>
public sealed class SessionTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => Tests.Providers.All;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_command_is_prepared_once_per_session_and_the_session_is_pooled(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        int slot = RampartSession.AllocateSlot();
        int created = 0;

        var session = await db.Database.RentAsync(Ct);
        var first = await session.CommandAsync(slot, "SELECT COUNT(*) FROM notes WHERE owner_id = @owner", c => { created++; RampartSession.AddParameter(c, "@owner", System.Data.DbType.String); }, Ct);
        var second = await session.CommandAsync(slot, "SELECT COUNT(*) FROM notes WHERE owner_id = @owner", c => { created++; RampartSession.AddParameter(c, "@owner", System.Data.DbType.String); }, Ct);
        Assert.Same(first, second);
        Assert.Equal(1, created);
        db.Database.Release(session, succeeded: true);

        var again = await db.Database.RentAsync(Ct);
        Assert.Same(session, again);
        db.Database.Release(again, succeeded: false);

        var fresh = await db.Database.RentAsync(Ct);
        Assert.NotSame(session, fresh);
        db.Database.Release(fresh, succeeded: true);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Generated_calls_reuse_their_session(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, postgres);
        var alice = TestDatabase.Owner("alice");
        await db.Notes.CountAsync(alice, Ct);
        var pooled = await db.Database.RentAsync(Ct);
        db.Database.Release(pooled, succeeded: true);

        await db.Notes.CountAsync(alice, Ct);
        var after = await db.Database.RentAsync(Ct);
        Assert.Same(pooled, after);
        db.Database.Release(after, succeeded: true);
    }
}
