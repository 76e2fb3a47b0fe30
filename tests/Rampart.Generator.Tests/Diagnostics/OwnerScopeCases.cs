using System.Text;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>
/// Builds RAMP0048 cases: an owner-scoped <c>ItemStore</c> with one <c>[Sql]</c> method. The SQL is given
/// as it reaches the database (quotes, backslashes and line breaks are escaped into the C# literal here),
/// so each case reads as the statement under test.
/// </summary>
internal static class OwnerScopeCases
{
    public const string Item = "Task<Item?>";
    public const string Items = "Task<IReadOnlyList<Item>>";
    public const string Rows = "Task<int>";

    /// <summary>A RAMP0048 case named <c>RAMP0048_<paramref name="name"/></c>.</summary>
    public static DiagnosticCase Case(string name, string trigger, string noTrigger) => new("RAMP0048_" + name, "RAMP0048", trigger, noTrigger);

    /// <summary>
    /// The store source; <paramref name="mark"/> marks the method name where the diagnostic is expected.
    /// <paramref name="attribute"/> replaces <c>[OwnerScoped]</c> (for example to declare shared tables).
    /// </summary>
    public static string Store(string sql, string parameters, string returns = Item, bool mark = false, string attribute = "[OwnerScoped]")
    {
        string method = returns == Rows ? "RunAsync" : "FindAsync";
        return $$"""
            public sealed record Item(int Id, string Name);

            {{attribute}}
            public sealed partial class ItemStore
            {
                [Sql("{{Escape(sql)}}")]
                public partial {{returns}} {{(mark ? "[|" + method + "|]" : method)}}({{parameters}});
            }
            """;
    }

    /// <summary>The trigger form of <see cref="Store"/>.</summary>
    public static string Marked(string sql, string parameters, string returns = Item, string attribute = "[OwnerScoped]") =>
        Store(sql, parameters, returns, mark: true, attribute);

    private static string Escape(string sql)
    {
        var sb = new StringBuilder(sql.Length + 8);
        foreach (char c in sql)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\r' => "\\r",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
