using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Generator.Parsing;

/// <summary>A <c>@name</c> placeholder and where it starts in the SQL text.</summary>
internal readonly record struct SqlPlaceholder(string Name, int Offset);

/// <summary>
/// A light reading of a SQL statement, enough for compile-time checks: its <see cref="SqlTokens"/>
/// (placeholders outside string literals, quoted identifiers and comments); the statement kind; the
/// top-level clauses (WHERE, the select list, RETURNING). It is not a SQL parser: the owner-scope check
/// reads the statement's structure with <see cref="SqlReader"/>, which refuses what it cannot read.
/// </summary>
internal sealed class SqlText
{
    private static readonly Regex Keyword = new(@"\b[A-Za-z_]+\b", RegexOptions.CultureInvariant);
    private static readonly string[] WhereEnds = { "ORDER", "GROUP", "LIMIT", "OFFSET", "RETURNING", "HAVING", "WINDOW", "UNION", "EXCEPT", "INTERSECT", "FETCH", "FOR" };

    private SqlText(SqlTokens tokens, string code, List<SqlPlaceholder> placeholders)
    {
        Tokens = tokens;
        Code = code;
        Placeholders = placeholders;
    }

    /// <summary>The statement as written.</summary>
    public string Original => Tokens.Sql;

    /// <summary>The statement's tokens, shared by every check that reads it.</summary>
    public SqlTokens Tokens { get; }

    /// <summary>The statement with literal contents and comments blanked (same length, same offsets).</summary>
    public string Code { get; }

    public IReadOnlyList<SqlPlaceholder> Placeholders { get; }

    /// <summary>Why the text could not be read (unterminated literal or comment), or null.</summary>
    public string? Error => Tokens.Error;

    /// <summary>The first keyword, upper case: SELECT, WITH, INSERT, UPDATE, DELETE, …</summary>
    public string Verb
    {
        get
        {
            var m = Keyword.Match(Code);
            return m.Success ? m.Value.ToUpperInvariant() : string.Empty;
        }
    }

    public bool IsQuery => Verb is "SELECT" or "WITH" or "VALUES" || FindTopLevel("RETURNING", 0) >= 0;

    public static SqlText Read(string sql)
    {
        var tokens = SqlTokens.Read(sql);
        var code = sql.ToCharArray();
        foreach (var (start, length) in tokens.Blanks)
        {
            for (int i = start; i < start + length; i++)
            {
                code[i] = ' ';
            }
        }

        var placeholders = new List<SqlPlaceholder>();
        foreach (var token in tokens.Tokens)
        {
            if (token.Kind == SqlTokenKind.Parameter)
            {
                placeholders.Add(new SqlPlaceholder(token.Value, token.Start));
            }
        }

        return new SqlText(tokens, new string(code), placeholders);
    }

    /// <summary>The offset of <paramref name="keyword"/> as a whole word outside parentheses, from <paramref name="start"/>; -1 if absent.</summary>
    public int FindTopLevel(string keyword, int start)
    {
        int depth = 0;
        for (int i = start; i < Code.Length; i++)
        {
            char c = Code[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && IsWordAt(i, keyword))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The WHERE clause's text (without the keyword), or null when the statement has none at top level.</summary>
    public string? WhereClause()
    {
        int where = FindTopLevel("WHERE", 0);
        if (where < 0)
        {
            return null;
        }

        int start = where + "WHERE".Length;
        int end = Code.Length;
        foreach (string stop in WhereEnds)
        {
            int at = FindTopLevel(stop, start);
            if (at >= 0 && at < end)
            {
                end = at;
            }
        }

        return Code.Substring(start, end - start).TrimEnd(' ', '\t', '\r', '\n', ';');
    }

    /// <summary>The text between <paramref name="from"/> and the first of <paramref name="to"/> at top level.</summary>
    public string? Between(string from, params string[] to)
    {
        int at = FindTopLevel(from, 0);
        if (at < 0)
        {
            return null;
        }

        int start = at + from.Length;
        int end = Code.Length;
        foreach (string stop in to)
        {
            int s = FindTopLevel(stop, start);
            if (s >= 0 && s < end)
            {
                end = s;
            }
        }

        return Code.Substring(start, end - start).Trim().TrimEnd(';').Trim();
    }

    /// <summary>
    /// The result columns: after RETURNING when present, else the main SELECT list. Null when there is no
    /// column list to read.
    /// </summary>
    public string? ResultList()
    {
        if (FindTopLevel("RETURNING", 0) >= 0)
        {
            return Between("RETURNING");
        }

        return Between("SELECT", "FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "HAVING");
    }

    /// <summary>Splits on commas outside parentheses.</summary>
    public static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && c == ',')
            {
                parts.Add(text.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }

        parts.Add(text.Substring(start).Trim());
        return parts;
    }

    /// <summary>A column reference without table prefix and quotes, or null when <paramref name="text"/> is not one.</summary>
    public static string? ColumnName(string text)
    {
        var m = Regex.Match(text.Trim(), @"^(?:""?[A-Za-z_][A-Za-z0-9_$]*""?\s*\.\s*)*""?([A-Za-z_][A-Za-z0-9_$]*)""?$", RegexOptions.CultureInvariant);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The name a select-list item produces: its alias, or the column it names; null for an unnamed expression.</summary>
    public static string? ResultName(string item)
    {
        var alias = Regex.Match(item, @"(?is)^(.+?)\s+AS\s+""?([A-Za-z_][A-Za-z0-9_$]*)""?$", RegexOptions.CultureInvariant);
        return alias.Success ? alias.Groups[2].Value : ColumnName(item);
    }

    /// <summary>Lower case with underscores removed: <c>product_id</c>, <c>ProductId</c> and <c>productid</c> meet.</summary>
    public static string Normalize(string name) => name.Replace("_", string.Empty).ToLowerInvariant();

    /// <summary><c>ProductId</c> → <c>product_id</c>.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    private bool IsWordAt(int i, string word) =>
        i + word.Length <= Code.Length
        && string.Compare(Code, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && IsBoundary(Code, i - 1)
        && IsBoundary(Code, i + word.Length);

    private static bool IsBoundary(string text, int i) => i < 0 || i >= text.Length || !(SqlTokens.IsNamePart(text[i]) || text[i] == '@' || text[i] == '.' || text[i] == '"');
}
