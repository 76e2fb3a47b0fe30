using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Analyzers;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>
/// RAMP0070/RAMP0071 beyond the catalogue cases: more ways to walk a value around the analyzer (recursion,
/// out and ref, aliases, async and extension helpers, entry-point arguments, friend assemblies) and their
/// constant neighbours. Each source marks with <c>[| |]</c> where the one expected diagnostic points, or
/// expects none.
/// </summary>
public sealed class CommandTextFlowTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.Data.Sqlite;

        namespace Cases;

        """;

    private static readonly Dictionary<string, (string? Id, string Source)> Sources = new(StringComparer.Ordinal)
    {
        ["RecursiveHelperOverConstants"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command) => command.CommandText = Build(3, "SELECT id FROM items WHERE 0 = 1");

                private static string Build(int n, string sql) => n == 0 ? sql : Build(n - 1, sql + " OR id = " + n);
            }
            """),
        ["RecursiveHelperOverAParameter"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, int count) => command.CommandText = [|Build(count, "SELECT id FROM items WHERE 0 = 1")|];

                private static string Build(int n, string sql) => n == 0 ? sql : Build(n - 1, sql + " OR id = " + n);
            }
            """),
        ["MutuallyRecursiveParameters"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) => Ping(command, [|"SELECT id FROM items WHERE name = '" + name + "'"|], 2);

                private static void Ping(DbCommand command, string sql, int n)
                {
                    if (n > 0) Pong(command, sql, n - 1); else command.CommandText = sql;
                }

                private static void Pong(DbCommand command, string text, int n) => Ping(command, text, n);
            }
            """),
        ["OutArgument"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command)
                {
                    Load(out var sql);
                    command.CommandText = [|sql|];
                }

                private static void Load(out string sql) => sql = "SELECT id FROM items";
            }
            """),
        ["RefLocalAlias"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    string sql = "SELECT id FROM items";
                    ref string alias = ref sql;
                    alias = name;
                    command.CommandText = [|sql|];
                }
            }
            """),
        ["PrivateFieldSetFromAParameter"] = ("RAMP0071", """
            public sealed class Legacy
            {
                private string _sql = "SELECT id FROM items";

                public void Use(string sql) => _sql = sql;

                public void Run(DbCommand command) => command.CommandText = [|_sql|];
            }
            """),
        ["PrivateFieldWithConstantWrites"] = (null, """
            public sealed class Legacy
            {
                private string _sql = "SELECT id FROM items";

                public void Archive() => _sql = "SELECT id FROM items_archive";

                public void Run(DbCommand command) => command.CommandText = _sql;
            }
            """),
        ["StaticReadonlyFromTheEnvironment"] = ("RAMP0071", """
            public static class Legacy
            {
                private static readonly string Sql;

                static Legacy() => Sql = Environment.GetEnvironmentVariable("SQL") ?? "SELECT 1";

                public static void Run(DbCommand command) => command.CommandText = [|Sql|];
            }
            """),
        ["StaticReadonlyFromAStaticConstructor"] = (null, """
            public static class Legacy
            {
                private static readonly string Sql;

                static Legacy() => Sql = "SELECT id FROM " + nameof(Legacy);

                public static void Run(DbCommand command) => command.CommandText = Sql;
            }
            """),
        ["BuilderPassedToAHelper"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var sql = new StringBuilder("SELECT id FROM items");
                    AddFilter(sql, name);
                    command.CommandText = [|sql.ToString()|];
                }

                private static void AddFilter(StringBuilder sql, string name) => sql.Append(" WHERE name = '").Append(name).Append('\'');
            }
            """),
        ["BuilderAliased"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var sql = new StringBuilder("SELECT id FROM items");
                    var alias = sql;
                    alias.Append(name);
                    command.CommandText = [|sql.ToString()|];
                }
            }
            """),
        ["BuilderParameterAppendedInTheCallee"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) => Run(command, new StringBuilder("SELECT id FROM items"), [|name|]);

                private static void Run(DbCommand command, StringBuilder sql, string name)
                {
                    sql.Append(" WHERE name = '" + name + "'");
                    command.CommandText = sql.ToString();
                }
            }
            """),
        ["ForEachOverConstants"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command)
                {
                    string sql = "SELECT ";
                    foreach (var column in new[] { "id", "name" })
                    {
                        sql += column + ", ";
                    }

                    command.CommandText = sql + "0 FROM items";
                }
            }
            """),
        ["ForEachOverAParameter"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, IEnumerable<string> columns)
                {
                    string sql = "SELECT ";
                    foreach (var column in columns)
                    {
                        sql += column + ", ";
                    }

                    command.CommandText = [|sql + "0 FROM items"|];
                }
            }
            """),
        ["Deconstruction"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string table)
                {
                    string select, from;
                    (select, from) = ("SELECT id FROM ", table);
                    command.CommandText = [|select + from|];
                }
            }
            """),
        ["AsyncHelper"] = ("RAMP0070", """
            public static class Legacy
            {
                public static async Task Find(DbCommand command, string name) => command.CommandText = [|await BuildAsync(name).ConfigureAwait(false)|];

                private static async Task<string> BuildAsync(string name)
                {
                    await Task.Yield();
                    return "SELECT id FROM items WHERE name = '" + name + "'";
                }
            }
            """),
        ["AsyncHelperReturningAConstant"] = (null, """
            public static class Legacy
            {
                public static async Task Find(DbCommand command) => command.CommandText = await BuildAsync().ConfigureAwait(false);

                private static async Task<string> BuildAsync()
                {
                    await Task.Yield();
                    return "SELECT id FROM items";
                }
            }
            """),
        ["ExtensionHelper"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) => command.CommandText = [|name.AsFilter()|];
            }

            internal static class SqlText
            {
                internal static string AsFilter(this string name) => "SELECT id FROM items WHERE name = '" + name + "'";
            }
            """),
        ["GenericHelper"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, int id) => command.CommandText = [|Where<int>(id)|];

                private static string Where<T>(T value) => "SELECT id FROM items WHERE id = " + value;
            }
            """),
        ["PartialHelper"] = ("RAMP0070", """
            public static partial class Legacy
            {
                public static void Find(DbCommand command, string name) => command.CommandText = [|Build(name)|];

                private static partial string Build(string name);

                private static partial string Build(string name) => "SELECT id FROM items WHERE name = '" + name + "'";
            }
            """),
        ["VirtualProperty"] = ("RAMP0071", """
            public class Legacy
            {
                protected virtual string Sql => "SELECT id FROM items";

                public void Find(DbCommand command) => command.CommandText = [|Sql|];
            }
            """),
        ["PrivateSetterFromAParameter"] = ("RAMP0071", """
            public sealed class Legacy
            {
                public string Sql { get; private set; } = "SELECT id FROM items";

                public void Use(string sql) => Sql = sql;

                public void Find(DbCommand command) => command.CommandText = [|Sql|];
            }
            """),
        ["CapturedLocalWrittenInALambda"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, List<string> names)
                {
                    string sql = "SELECT id FROM items WHERE 0 = 1";
                    names.ForEach(name => sql += " OR name = '" + name + "'");
                    command.CommandText = [|sql|];
                }
            }
            """),
        ["CoalescingAssignment"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string? sql, string table)
                {
                    string? text = null;
                    text ??= "SELECT id FROM " + table;
                    command.CommandText = [|text|];
                }
            }
            """),
        ["AnotherCommandsText"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Copy(DbCommand command, DbCommand? other) => command.CommandText = [|other?.CommandText|];
            }
            """),
        ["PrimaryConstructorParameter"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Count(DbCommand command, string table) => new Repository([|table|]).Count(command);

                public static void CountItems(DbCommand command) => new Repository("items").Count(command);
            }

            internal sealed class Repository(string table)
            {
                public void Count(DbCommand command) => command.CommandText = "SELECT COUNT(*) FROM " + table;
            }
            """),
        ["PrimaryConstructorParameterOverConstants"] = (null, """
            public static class Legacy
            {
                public static void Count(DbCommand command, bool archive) => new Repository(archive ? "items_archive" : "items").Count(command);
            }

            internal sealed class Repository(string table)
            {
                public void Count(DbCommand command) => command.CommandText = "SELECT COUNT(*) FROM " + table;
            }
            """),
        ["CommandSubclassBaseCall"] = ("RAMP0070", """
            public static class Legacy
            {
                public static SqliteCommand Find(int id, string name) => new Query(id, [|"SELECT id FROM items WHERE name = '" + name + "'"|]);
            }

            internal sealed class Query : SqliteCommand
            {
                public Query(int id, string text) : base(text) => Parameters.AddWithValue("@id", id);
            }
            """),
        ["CommandSubclassPrimaryConstructor"] = ("RAMP0070", """
            public static class Legacy
            {
                public static SqliteCommand Find(string name) => new Query(1, [|"SELECT id FROM items WHERE name = '" + name + "'"|]);

                public static SqliteCommand All() => new Query(2, "SELECT id FROM items");
            }

            internal sealed class Query(int id, string text) : SqliteCommand(text)
            {
                public int Id => id;
            }
            """),
        ["AliasedCommandType"] = ("RAMP0070", """
            using Cmd = Microsoft.Data.Sqlite.SqliteCommand;

            public static class Legacy
            {
                public static Cmd Find(string name) => Make([|"SELECT id FROM items WHERE name = '" + name + "'"|]);

                private static Cmd Make(string text) => new Cmd(text);
            }
            """),
        ["OneCallerConstantOneBuilt"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void All(DbCommand command) => Execute(command, "SELECT id FROM items");

                public static void One(DbCommand command, int id) => Execute(command, [|$"SELECT id FROM items WHERE id = {id}"|]);

                private static void Execute(DbCommand command, string sql) => command.CommandText = sql;
            }
            """),
        ["CallerPassesAMutableField"] = ("RAMP0071", """
            public static class Legacy
            {
                public static string Text = "SELECT id FROM items";

                public static void All(DbCommand command) => Execute(command, [|Text|]);

                private static void Execute(DbCommand command, string sql) => command.CommandText = sql;
            }
            """),
        ["FormatOverConstants"] = (null, """
            public static class Legacy
            {
                private const string Table = "items";

                public static void Find(DbCommand command) => command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, "SELECT id FROM {0} WHERE id = @id", Table);
            }
            """),
        ["DictionaryOfQueries"] = ("RAMP0071", """
            public static class Legacy
            {
                private static readonly Dictionary<string, string> Queries = new() { ["all"] = "SELECT id FROM items" };

                public static void Find(DbCommand command, string key) => command.CommandText = [|Queries[key]|];
            }
            """),
        ["ConcatOfManyPieces"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string column, string table) =>
                    command.CommandText = [|string.Concat("SELECT ", column, " FROM ", table, " WHERE id = @id")|];
            }
            """),
        ["JoinOverAParamsArray"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string column) => Select(command, "id", [|column|]);

                private static void Select(DbCommand command, params string[] columns) =>
                    command.CommandText = "SELECT " + string.Join(", ", columns) + " FROM items";
            }
            """),
        ["BuilderAppendInterpolated"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var sql = new StringBuilder();
                    sql.Append($"SELECT id FROM items WHERE name = '{name}'");
                    command.CommandText = [|sql.ToString()|];
                }
            }
            """),
        ["BuilderAppendFormatAndInsert"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, int id, string table)
                {
                    var sql = new StringBuilder(" WHERE id = @id");
                    sql.Insert(0, "SELECT id FROM ").Insert(15, table);
                    command.CommandText = [|sql.ToString()|];
                }
            }
            """),
        ["RawInterpolatedString"] = ("RAMP0070", """"
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) =>
                    command.CommandText = [|$"""
                        SELECT id
                        FROM items
                        WHERE name = '{name}'
                        """|];
            }
            """"),
        ["NameOfAParameter"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) =>
                    command.CommandText = "SELECT id FROM items WHERE name = @" + nameof(name);
            }
            """),
        ["DelegateResult"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    Func<string> build = () => "SELECT id FROM items WHERE name = '" + name + "'";
                    command.CommandText = [|build()|];
                }
            }
            """),
        ["LocalFunctionAsDelegate"] = ("RAMP0071", """
            public static class Legacy
            {
                public static Action<string> Runner(DbCommand command)
                {
                    return [|Execute|];

                    void Execute(string sql) => command.CommandText = sql;
                }
            }
            """),
        ["PlaceholdersNumberedByALoopCounter"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command, IReadOnlyList<int> ids)
                {
                    var sql = new StringBuilder("SELECT id FROM items WHERE id IN (");
                    for (int i = 0; i < ids.Count; i++)
                    {
                        sql.Append(i == 0 ? "@p" : ", @p").Append(i);
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "@p" + i;
                        parameter.Value = ids[i];
                        command.Parameters.Add(parameter);
                    }

                    command.CommandText = sql.Append(')').ToString();
                }
            }
            """),
        ["BuilderAppendThroughADelegate"] = ("RAMP0071", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var sql = new StringBuilder("SELECT id FROM items WHERE name = ");
                    Func<string, StringBuilder> add = sql.Append;
                    add(name);
                    command.CommandText = [|sql.ToString()|];
                }
            }
            """),
        ["DynamicCommand"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    dynamic target = command;
                    target.CommandText = [|"SELECT id FROM items WHERE name = '" + name + "'"|];
                }
            }
            """),
        ["FieldWrittenThroughARefReturn"] = ("RAMP0071", """
            public sealed class Legacy
            {
                private string _sql = "SELECT id FROM items";

                public void Use(string sql) => Sql() = sql;

                public void Find(DbCommand command) => command.CommandText = [|_sql|];

                private ref string Sql() => ref _sql;
            }
            """),
        ["CollectionInitializerAdd"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name) => _ = new Batch(command) { [|"SELECT id FROM items WHERE name = '" + name + "'"|] };

                public static void All(DbCommand command) => _ = new Batch(command) { "SELECT id FROM items" };
            }

            internal sealed class Batch(DbCommand command) : System.Collections.IEnumerable
            {
                internal void Add(string sql) => command.CommandText = sql;

                public System.Collections.IEnumerator GetEnumerator() => Array.Empty<string>().GetEnumerator();
            }
            """),
        // A builder or collection held by a property: another type fills it (like a field's, not followed; the
        // builder form, the COPY and adapter sinks and Remove with a caller's count are RAMP0070/0071 catalogue cases).
        ["ListPropertyAppendedByAnotherType"] = ("RAMP0070", """
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
                    command.CommandText = [|query.Text|];
                }
            }
            """),

        // string.CopyTo writes into its destination: the characters are the string's.
        ["StringCopyToACharArray"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var chars = new char[name.Length];
                    name.CopyTo(0, chars, 0, name.Length);
                    command.CommandText = [|"SELECT id FROM items WHERE name = '" + string.Concat(chars) + "'"|];
                }
            }
            """),
        ["StringCopyToOverConstants"] = (null, """
            public static class Legacy
            {
                private const string Table = "items";

                public static void Find(DbCommand command)
                {
                    var chars = new char[Table.Length];
                    Table.CopyTo(0, chars, 0, Table.Length);
                    command.CommandText = "SELECT id FROM " + string.Concat(chars);
                }
            }
            """),

        // Collection methods: the known ones add their arguments; any other is not provably harmless.
        ["LinkedListAddLast"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var parts = new LinkedList<string>();
                    parts.AddLast("SELECT id FROM items WHERE name = '");
                    parts.AddLast(name);
                    parts.AddLast("'");
                    command.CommandText = [|string.Concat(parts)|];
                }
            }
            """),
        ["LinkedListOverConstants"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command, bool archived)
                {
                    var parts = new LinkedList<string>();
                    parts.AddLast("SELECT id FROM items");
                    if (archived)
                    {
                        parts.AddFirst("SELECT id FROM archive UNION ALL ");
                    }

                    command.CommandText = string.Concat(parts);
                }
            }
            """),
        ["ArraySetValue"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, string name)
                {
                    var parts = new[] { "SELECT id FROM items WHERE name = '", "", "'" };
                    parts.SetValue(name, 1);
                    command.CommandText = [|string.Concat(parts)|];
                }
            }
            """),
        ["ArrayReadThroughKnownMethods"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command, int which)
                {
                    var queries = new[] { "SELECT id FROM items", "SELECT id FROM archive" };
                    int last = queries.GetLength(0) - 1;
                    command.CommandText = queries[Math.Min(which, last)];
                }
            }
            """),

        // Index and count arguments choose what part of a constant survives.
        ["BuilderRemoveAtACallerChosenIndex"] = ("RAMP0070", """
            public static class Legacy
            {
                public static void Find(DbCommand command, int start)
                {
                    var sql = new StringBuilder("SELECT id FROM items WHERE owner_id = @owner AND id = @id");
                    sql.Remove(start, 26);
                    command.CommandText = [|sql.ToString()|];
                }
            }
            """),
        ["SubstringAtConstantPositions"] = (null, """
            public static class Legacy
            {
                private const string Sql = "SELECT id FROM items WHERE id = @id";

                public static void Find(DbCommand command, bool all)
                {
                    var sql = new StringBuilder(Sql, capacity: 128);
                    if (all)
                    {
                        sql.Length = Sql.IndexOf(" WHERE", StringComparison.Ordinal);
                    }

                    command.CommandText = sql.ToString() + Sql.Substring(Sql.Length - 1, 0);
                }
            }
            """),

        // Npgsql's COPY methods take SQL text without being commands, also through a helper.
        ["NpgsqlBinaryImportThroughAHelper"] = ("RAMP0070", """
            public static class Legacy
            {
                public static async Task ImportAsync(Npgsql.NpgsqlConnection connection, string table)
                {
                    await using var writer = await Open(connection, [|"COPY " + table + " (id) FROM STDIN (FORMAT BINARY)"|]);
                    await writer.CompleteAsync();
                }

                private static Task<Npgsql.NpgsqlBinaryImporter> Open(Npgsql.NpgsqlConnection connection, string copy) =>
                    connection.BeginBinaryImportAsync(copy);
            }
            """),
        ["LongConstantConcatenation"] = (null, """
            public static class Legacy
            {
                public static void Find(DbCommand command, bool wide)
                {
                    string column = wide ? "name" : "id";
                    command.CommandText = "SELECT " + LONG + " FROM items";
                }
            }
            """.Replace("LONG", string.Join(" + \", \" + ", Enumerable.Repeat("column", 2000)), StringComparison.Ordinal)),
    };

    public static TheoryData<string> Cases => new(Sources.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsWhatItCannotProve(string name)
    {
        var (id, source) = Sources[name];
        var markup = Markup.Parse(Usings + source);
        var diagnostics = Analyze(TestCompiler.CreateCompilation(new[] { new SourceFile("Case.cs", markup.Source) }));
        if (id is null)
        {
            Assert.True(diagnostics.IsEmpty, $"{name}: expected no diagnostic, got:\n{Snapshot.DescribeDiagnostics(diagnostics)}");
            return;
        }

        Assert.True(diagnostics.Length == 1 && diagnostics[0].Id == id, $"{name}: expected one {id}, got:\n{Snapshot.DescribeDiagnostics(diagnostics)}");
        Assert.Equal(markup.Span!.Value, diagnostics[0].Location.SourceSpan);
    }

    [Fact]
    public void EntryPointArgumentsAreNotConstant()
    {
        var markup = Markup.Parse(Usings + """
            public static class Program
            {
                private static void Main(string[] args)
                {
                    using var command = new SqliteCommand();
                    command.CommandText = [|args[0]|];
                }
            }
            """);
        var compilation = TestCompiler.CreateCompilation(new[] { new SourceFile("Case.cs", markup.Source) })
            .WithOptions(TestCompiler.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));
        var diagnostics = Analyze(compilation);
        Assert.True(diagnostics.Length == 1 && diagnostics[0].Id == "RAMP0071", Snapshot.DescribeDiagnostics(diagnostics));
        Assert.Equal(markup.Span!.Value, diagnostics[0].Location.SourceSpan);
    }

    [Fact]
    public void TopLevelArgumentsAreNotConstant()
    {
        var compilation = TestCompiler.CreateCompilation(new[]
        {
            new SourceFile("Program.cs", "using var command = new Microsoft.Data.Sqlite.SqliteCommand();\ncommand.CommandText = args[0];\n"),
        }).WithOptions(TestCompiler.CompilationOptions.WithOutputKind(OutputKind.ConsoleApplication));
        var diagnostics = Analyze(compilation);
        Assert.True(diagnostics.Length == 1 && diagnostics[0].Id == "RAMP0071", Snapshot.DescribeDiagnostics(diagnostics));
        Assert.Contains("command-line argument", diagnostics[0].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void InternalHelpersAreOpenWhenTheAssemblySharesItsInternals()
    {
        const string helper = """
            namespace Cases;

            internal static class Legacy
            {
                internal static void Execute(System.Data.Common.DbCommand command, string sql) => command.CommandText = sql;

                internal static void Purge(System.Data.Common.DbCommand command) => Execute(command, "DELETE FROM items WHERE deleted = 1");
            }
            """;
        var closed = Analyze(TestCompiler.CreateCompilation(new[] { new SourceFile("Case.cs", helper) }));
        Assert.True(closed.IsEmpty, Snapshot.DescribeDiagnostics(closed));

        var shared = Analyze(TestCompiler.CreateCompilation(new[]
        {
            new SourceFile("Case.cs", helper),
            new SourceFile("Friends.cs", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Cases.Tests\")]"),
        }));
        Assert.True(shared.Length == 1 && shared[0].Id == "RAMP0071", Snapshot.DescribeDiagnostics(shared));
        Assert.Contains("InternalsVisibleTo", shared[0].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectsWithoutRampartAreNotAnalyzed()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Plain",
            new[] { TestCompiler.Parse(new SourceFile("Case.cs", Usings + "public static class Legacy { public static void Find(DbCommand c, string n) => c.CommandText = \"SELECT \" + n; }")) },
            TestCompiler.References.Where(r => !(r.Display ?? "").EndsWith("Rampart.dll", StringComparison.Ordinal)),
            TestCompiler.CompilationOptions);
        Assert.Empty(Analyze(compilation));
    }

    private static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the case does not compile:\n" + string.Join("\n", errors));
        return compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CommandTextAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }
}
