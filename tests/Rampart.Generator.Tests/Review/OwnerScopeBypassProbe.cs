using System;
using Rampart.Generator.Parsing;
using Xunit;

namespace Rampart.Generator.Tests.Review;

/// <summary>
/// Review evidence (not a fix): statements RAMP0048's check accepts although they read rows the owner
/// filter does not restrict (see tests/Rampart.Data.Tests/Review for two of them run on PostgreSQL).
/// Each case expects a refusal; they fail on main.
/// </summary>
public sealed class OwnerScopeBypassProbe
{
    private static string? Check(string sql) =>
        OwnerScopeCheck.Explain(SqlText.Read(sql), "owner_id", new[] { "owner" }, new[] { "categories" });

    public static TheoryData<string> Shapes => new()
    {
        // query_to_xml / table_to_xml are refused unquoted; the quoted name is the same function on PostgreSQL.
        "SELECT id, \"query_to_xml\"('SELECT * FROM items', true, false, '')::text AS name FROM items WHERE owner_id = @owner",
        "SELECT id, pg_catalog.\"table_to_xml\"('items', true, false, '')::text AS name FROM items WHERE owner_id = @owner",
        // Built-in PostgreSQL functions that run the query they are given, not in the list.
        "SELECT id, ts_stat('SELECT to_tsvector(name) FROM items')::text AS name FROM items WHERE owner_id = @owner",
        "SELECT id, ts_rewrite('a'::tsquery, 'SELECT t, s FROM aliases')::text AS name FROM items WHERE owner_id = @owner",
        // SQLite (Tcl variables): '@id(...)' is one variable up to ')', so SQLite reads 'OR 1=1' outside the literal.
        "SELECT id FROM items WHERE owner_id = @owner AND id = @id(') OR 1=1 --')",
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void IsRefused(string sql) => Assert.True(Check(sql) is not null, "accepted: " + sql);
}
