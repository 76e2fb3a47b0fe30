using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>
/// Why RAMP0048 allows only known functions on an owner-scoped store: run on PostgreSQL, a statement that
/// filters its own table by the owner still returns other owners' rows through a function that runs the
/// SQL it is given as text (whatever the spelling of its name). On SQLite a parameter directly followed by
/// '(' is a different variable than the check read. The same statements no longer compile in an
/// [OwnerScoped] store; here they run from a store that is not owner-scoped, to show what that prevents.
/// </summary>
public sealed class OwnerScopeFunctionTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Refused => new()
    {
        { FunctionLeakSql.QuotedQueryToXml, "the function \"query_to_xml\"(), which runs SQL given as text" },
        { FunctionLeakSql.QualifiedTableToXml, "the function pg_catalog.\"table_to_xml\"(), which runs SQL given as text" },
        { FunctionLeakSql.TsStat, "the function ts_stat(), which runs SQL given as text" },
        { FunctionLeakSql.TclVariable, "'@id(' (a parameter directly followed by '(')" },
    };

    [Fact]
    public async Task AQuotedSqlTextFunctionReturnsAnotherOwnersNotes()
    {
        await using var db = await TestDatabase.CreateAsync("postgres", postgres);
        var alice = TestDatabase.Owner("alice");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice's note", null, Now, Ct));
        Assert.Equal(1, await db.Notes.InsertAsync(Guid.NewGuid(), TestDatabase.Owner("bob"), "bob-secret-pin-4711", null, Now, Ct));
        var store = new UnscopedFunctionStore(db.Database);

        Assert.Contains("bob-secret-pin-4711", await store.QuotedQueryToXmlAsync(mine, alice, Ct), StringComparison.Ordinal);
        Assert.Contains("bob-secret-pin-4711", await store.QualifiedTableToXmlAsync(mine, alice, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TsStatReturnsTheWordsOfAnotherOwnersNotes()
    {
        await using var db = await TestDatabase.CreateAsync("postgres", postgres);
        var alice = TestDatabase.Owner("alice");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice", null, Now, Ct));
        Assert.Equal(1, await db.Notes.InsertAsync(Guid.NewGuid(), TestDatabase.Owner("bob"), "bobsecret", null, Now, Ct));

        Assert.Contains(new Word("bobsecret"), await new UnscopedFunctionStore(db.Database).TsStatAsync(mine, alice, Ct));
    }

    [Fact]
    public async Task SqliteReadsAParameterFollowedByAParenthesisAsAnotherVariable()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite", postgres);
        var alice = TestDatabase.Owner("alice");
        var mine = Guid.NewGuid();
        Assert.Equal(1, await db.Notes.InsertAsync(mine, alice, "alice", null, Now, Ct));

        // SQLite reads '@id(\')' as one variable and ' OR 1=1' as SQL; Microsoft.Data.Sqlite refuses to run it
        // with that variable unbound, so nothing leaks — but the statement is not the one that was checked.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new UnscopedFunctionStore(db.Database).TclVariableAsync(mine, alice, Ct));
        Assert.Contains("@id(')", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void TheStatementsDoNotCompileInAnOwnerScopedStore(string sql, string reason)
    {
        var refused = Assert.Single(GeneratorRun.Diagnostics(Store("[OwnerScoped]", sql)));
        Assert.Equal("RAMP0048", refused.Id);
        Assert.Equal(DiagnosticSeverity.Error, refused.Severity);
        Assert.Contains(reason, refused.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Empty(GeneratorRun.Diagnostics(Store(string.Empty, sql)));
    }

    [Fact]
    public void KnownAndDeclaredFunctionsCompileInAnOwnerScopedStore()
    {
        Assert.Empty(GeneratorRun.Diagnostics(Store("[OwnerScoped]", "SELECT upper(\"lower\"(text)) AS text FROM notes WHERE id = @id AND owner_id = @owner")));
        Assert.Empty(GeneratorRun.Diagnostics(Store(
            "[OwnerScoped(AllowedFunctions = new[] { \"unaccent\" })]", "SELECT unaccent(text) AS text FROM notes WHERE id = @id AND owner_id = @owner")));
    }

    private static string Store(string attribute, string sql) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rampart;

        namespace Functions;

        public sealed record Word(string Text);

        {{attribute}}
        public sealed partial class NoteReads
        {
            [Sql(@"{{sql.Replace("\"", "\"\"", StringComparison.Ordinal)}}")]
            public partial Task<IReadOnlyList<Word>> ReadAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);
        }
        """;
}

/// <summary>A row of one text column.</summary>
public sealed record Word(string Text);

/// <summary>Statements RAMP0048 refuses for the functions they call, shared by the store and the compile test.</summary>
public static class FunctionLeakSql
{
    /// <summary>The quoted name calls the same function as the unquoted one, which runs the query it is given.</summary>
    public const string QuotedQueryToXml =
        "SELECT \"query_to_xml\"('SELECT owner_id, text FROM notes', true, false, '')::text AS text FROM notes WHERE id = @id AND owner_id = @owner";

    /// <summary>Reads the whole table given by name.</summary>
    public const string QualifiedTableToXml =
        "SELECT pg_catalog.\"table_to_xml\"('notes', true, false, '')::text AS text FROM notes WHERE id = @id AND owner_id = @owner";

    /// <summary>ts_stat runs the query it is given and returns the words of every row it reads.</summary>
    public const string TsStat =
        "SELECT (ts_stat('SELECT to_tsvector(''simple'', text) FROM notes')).word AS text FROM notes WHERE id = @id AND owner_id = @owner";

    /// <summary>SQLite reads '@id(…)' up to ')' as one variable, then ' OR 1=1' as SQL.</summary>
    public const string TclVariable = "SELECT text FROM notes WHERE owner_id = @owner AND id = @id(') OR 1=1 --')";
}

/// <summary>
/// The statements in a store that is NOT owner-scoped, where they compile, so the tests can run them and show
/// what RAMP0048 prevents: under [OwnerScoped] the same methods do not compile.
/// </summary>
public sealed partial class UnscopedFunctionStore
{
    [Sql(FunctionLeakSql.QuotedQueryToXml)]
    public partial Task<string?> QuotedQueryToXmlAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    [Sql(FunctionLeakSql.QualifiedTableToXml)]
    public partial Task<string?> QualifiedTableToXmlAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    [Sql(FunctionLeakSql.TsStat)]
    public partial Task<IReadOnlyList<Word>> TsStatAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    [Sql(FunctionLeakSql.TclVariable)]
    public partial Task<IReadOnlyList<Word>> TclVariableAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);
}
