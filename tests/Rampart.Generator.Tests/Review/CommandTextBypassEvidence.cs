using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Analyzers;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Review;

/// <summary>
/// Review evidence (not a fix): SQL text that depends on a public method's argument, yet RAMP0070/RAMP0071
/// report nothing. Each case expects a diagnostic; they fail on main.
/// </summary>
public sealed class CommandTextBypassEvidence
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.Text;
        using Microsoft.Data.Sqlite;

        namespace Cases;

        """;

    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        // A get-only property of a collection type: only additions inside its own type are looked at.
        ["ListPropertyAppendedByAnotherType"] = """
            public sealed class Query
            {
                public List<string> Parts { get; } = new() { "SELECT id FROM items" };

                public string Text => string.Join(" ", Parts);
            }

            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var query = new Query();
                    query.Parts.Add("WHERE name = '" + name + "'");
                    command.CommandText = query.Text;
                }
            }
            """,
        ["BuilderPropertyAppendedByAnotherType"] = """
            public sealed class Query
            {
                public StringBuilder Text { get; } = new("SELECT id FROM items");
            }

            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var query = new Query();
                    query.Text.Append(" WHERE name = '").Append(name).Append('\'');
                    command.CommandText = query.Text.ToString();
                }
            }
            """,
        // string.CopyTo writes into its char[] argument; string methods are taken to only read their arguments.
        ["StringCopyToACharArray"] = """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var chars = new char[name.Length];
                    name.CopyTo(0, chars, 0, name.Length);
                    command.CommandText = "SELECT id FROM items WHERE name = '" + new string(chars) + "'";
                }
            }
            """,
        // Collection methods outside the Add/Append/Insert list are taken to add nothing.
        ["LinkedListAddLast"] = """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var parts = new LinkedList<string>();
                    parts.AddLast("SELECT id FROM items WHERE name = '");
                    parts.AddLast(name);
                    parts.AddLast("'");
                    command.CommandText = string.Concat(parts);
                }
            }
            """,
        ["ArraySetValue"] = """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var parts = new[] { "SELECT id FROM items WHERE name = '", "", "'" };
                    parts.SetValue(name, 1);
                    command.CommandText = string.Concat(parts);
                }
            }
            """,
        // Index and count arguments are skipped as "shape": a caller-chosen count cuts the owner filter out.
        ["RemoveWithACallerChosenCount"] = """
            public static class Legacy
            {
                private const string Sql = "SELECT id FROM items WHERE owner_id = @owner AND id = @id";

                public static void Find(DbCommand command, int cut) => command.CommandText = Sql.Remove(26, cut);
            }
            """,
        // Npgsql APIs that take SQL text and are not commands.
        ["NpgsqlCopyExport"] = """
            public static class Legacy
            {
                public static string Export(Npgsql.NpgsqlConnection connection, string name)
                {
                    using var reader = connection.BeginTextExport("COPY (SELECT id FROM items WHERE name = '" + name + "') TO STDOUT");
                    return reader.ReadToEnd();
                }
            }
            """,
        ["NpgsqlDataAdapter"] = """
            public static class Legacy
            {
                public static System.Data.DataTable Find(Npgsql.NpgsqlConnection connection, string name)
                {
                    var table = new System.Data.DataTable();
                    new Npgsql.NpgsqlDataAdapter("SELECT id FROM items WHERE name = '" + name + "'", connection).Fill(table);
                    return table;
                }
            }
            """,
    };

    public static TheoryData<string> Cases => new(Sources.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsReported(string name)
    {
        var compilation = TestCompiler.CreateCompilation(new[] { new SourceFile("Case.cs", Usings + Sources[name]) });
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the case does not compile:\n" + string.Join("\n", errors));
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CommandTextAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        Assert.True(diagnostics.Any(d => d.Id is "RAMP0070" or "RAMP0071"), $"{name}: no RAMP0070/RAMP0071");
    }
}
