using System;
using System.Collections.Generic;

namespace Rampart.Generator.Parsing;

internal enum SqlTokenKind : byte
{
    /// <summary>An unquoted name or keyword.</summary>
    Word,

    /// <summary>A quoted name: <c>"x"</c>, <c>`x`</c> or <c>[x]</c>.</summary>
    QuotedName,

    /// <summary>A <c>'…'</c> string literal.</summary>
    String,

    Number,

    /// <summary>An <c>@name</c> placeholder.</summary>
    Parameter,

    /// <summary>One punctuation or operator character.</summary>
    Symbol,
}

/// <summary>One token: where it is in the SQL text and its value.</summary>
internal readonly struct SqlToken
{
    public SqlToken(SqlTokenKind kind, int start, int length, string value)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Value = value;
    }

    public SqlTokenKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>
    /// A word as written, a quoted name without its quotes, a parameter's name without <c>@</c>, a
    /// symbol's character, a literal as written.
    /// </summary>
    public string Value { get; }

    public bool IsWord(string keyword) => Kind == SqlTokenKind.Word && AsciiEquals(Value, keyword);

    public bool IsSymbol(char c) => Kind == SqlTokenKind.Symbol && Value[0] == c;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;

    /// <summary>
    /// The name as PostgreSQL resolves it: unquoted names fold to lower case, quoted ones stay exact.
    /// SQLite compares names without case, so two names equal here are equal there too.
    /// </summary>
    public string Folded => Kind == SqlTokenKind.Word ? AsciiLower(Value) : Value;

    /// <summary>
    /// Compares names and keywords the way both databases do: only A-Z and a-z match across case ('ı' or
    /// 'ſ' are other letters there, although .NET's case-insensitive comparison maps them to I and S).
    /// </summary>
    public static bool AsciiEquals(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (Lower(a[i]) != Lower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static string AsciiLower(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = Lower(chars[i]);
        }

        return new string(chars);
    }

    internal static char Lower(char c) => c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;

    public override string ToString() => Kind switch
    {
        SqlTokenKind.QuotedName => "\"" + Value + "\"",
        SqlTokenKind.Parameter => "@" + Value,
        _ => Value,
    };
}

/// <summary>Keyword sets compared as <see cref="SqlToken.AsciiEquals"/> does.</summary>
internal sealed class AsciiIgnoreCase : IEqualityComparer<string>
{
    public static readonly AsciiIgnoreCase Instance = new();

    public bool Equals(string? x, string? y) => x is not null && y is not null && SqlToken.AsciiEquals(x, y);

    public int GetHashCode(string obj)
    {
        int hash = 17;
        foreach (char c in obj)
        {
            hash = (hash * 31) + SqlToken.Lower(c);
        }

        return hash;
    }
}

/// <summary>
/// Splits SQL text into tokens the way SQLite and PostgreSQL both do: string literals, quoted names,
/// <c>--</c> and <c>/* */</c> comments, <c>@name</c> placeholders. Where the two dialects read the same
/// characters differently (a comment one of them ends earlier, a string only one of them sees, a
/// <c>[…]</c> that is a name in SQLite and an array subscript in PostgreSQL), the reading is recorded as
/// <see cref="Ambiguity"/>: checks that must hold on both databases refuse such text.
/// </summary>
internal sealed class SqlTokens
{
    private static readonly string[] Symbols = CreateSymbols();

    private SqlTokens(string sql, List<SqlToken> tokens, List<(int Start, int Length)> blanks, string? error, string? ambiguity)
    {
        Sql = sql;
        Tokens = tokens;
        Blanks = blanks;
        Error = error;
        Ambiguity = ambiguity;
    }

    public string Sql { get; }

    public IReadOnlyList<SqlToken> Tokens { get; }

    /// <summary>Comments and the contents of string literals: text that is not SQL.</summary>
    public IReadOnlyList<(int Start, int Length)> Blanks { get; }

    /// <summary>Why the text cannot be read at all (an unterminated literal or comment), or null.</summary>
    public string? Error { get; }

    /// <summary>The first place SQLite and PostgreSQL would read differently (what and how), or null.</summary>
    public string? Ambiguity { get; }

    public static SqlTokens Read(string sql)
    {
        var tokens = new List<SqlToken>(sql.Length / 4);
        var blanks = new List<(int, int)>();
        string? error = null;
        string? ambiguity = null;
        int n = sql.Length;
        int i = 0;
        while (i < n)
        {
            char c = sql[i];
            char next = i + 1 < n ? sql[i + 1] : '\0';
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                i++;
            }
            else if (c == '-' && next == '-')
            {
                int end = sql.IndexOf('\n', i);
                end = end < 0 ? n : end;
                int cr = sql.IndexOf('\r', i, end - i);
                if (cr >= 0 && cr + 1 != end)
                {
                    ambiguity ??= "a carriage return inside a -- comment: PostgreSQL ends the comment there, SQLite at the next line feed";
                }

                blanks.Add((i, end - i));
                i = end;
            }
            else if (c == '/' && next == '*')
            {
                int close = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                int end = close < 0 ? n : close + 2;
                if (close < 0)
                {
                    error ??= "a /* comment is not terminated";
                }
                else if (sql.IndexOf("/*", i + 2, close - i - 2, StringComparison.Ordinal) >= 0)
                {
                    ambiguity ??= "a /* comment inside a /* comment: PostgreSQL nests them, SQLite ends at the first */";
                }

                blanks.Add((i, end - i));
                i = end;
            }
            else if (c == '\'')
            {
                int end = Quoted(sql, i, '\'');
                if (end < 0)
                {
                    error ??= "a string literal is not terminated";
                    end = n - 1;
                }

                if (sql.IndexOf('\\', i, end - i) >= 0)
                {
                    ambiguity ??= "a backslash in a string literal: PostgreSQL reads it as an escape in E'…' strings (and when standard_conforming_strings is off), SQLite never; pass the value as a parameter";
                }

                blanks.Add((i + 1, Math.Max(0, end - i - 1)));
                tokens.Add(new SqlToken(SqlTokenKind.String, i, end - i + 1, sql.Substring(i, end - i + 1)));
                i = end + 1;
            }
            else if (c == '"')
            {
                int end = Quoted(sql, i, '"');
                if (end < 0)
                {
                    error ??= "a quoted identifier is not terminated";
                    end = n - 1;
                }

                tokens.Add(new SqlToken(SqlTokenKind.QuotedName, i, end - i + 1, sql.Substring(i + 1, Math.Max(0, end - i - 1)).Replace("\"\"", "\"")));
                i = end + 1;
            }
            else if (c is '`' or '[')
            {
                // SQLite's other name quotes: PostgreSQL reads '`' as an operator and '[' as a subscript, so
                // only a plain name between them reads the same way in both.
                int end = sql.IndexOf(c == '[' ? ']' : '`', i + 1);
                if (end > i + 1 && IsPlainName(sql, i + 1, end))
                {
                    tokens.Add(new SqlToken(SqlTokenKind.QuotedName, i, end - i + 1, sql.Substring(i + 1, end - i - 1)));
                    i = end + 1;
                }
                else
                {
                    ambiguity ??= c == '['
                        ? "a '[' that is not a plain [name]: SQLite reads a quoted name up to ']', PostgreSQL a subscript"
                        : "a '`' that is not a plain `name`: SQLite reads a quoted name, PostgreSQL an operator";
                    tokens.Add(Symbol(i, c));
                    i++;
                }
            }
            else if (c == '@' && IsNameStart(next) && (i == 0 || sql[i - 1] != '@'))
            {
                int end = NameEnd(sql, i + 1);
                if (end < n && (sql[end] == '(' || (sql[end] == ':' && end + 1 < n && sql[end + 1] == ':')))
                {
                    // SQLite's Tcl-style variables: '@id(…)' is one variable up to ')', '@id::x' one named 'id::x'.
                    ambiguity ??= sql[end] == '('
                        ? $"'{sql.Substring(i, end - i)}(' (a parameter directly followed by '('): SQLite reads one variable up to the next ')', PostgreSQL a parameter and a parenthesis (a parameter is never followed by '(')"
                        : $"'{sql.Substring(i, end - i)}::' (a parameter directly followed by '::'): SQLite reads '::' and the name after it as part of the variable, PostgreSQL a cast; write CAST({sql.Substring(i, end - i)} AS type)";
                }

                tokens.Add(new SqlToken(SqlTokenKind.Parameter, i, end - i, sql.Substring(i + 1, end - i - 1)));
                i = end;
            }
            else if ((c == '#' && IsNamePart(next)) || (c == '@' && (IsDigit(next) || next == '$')))
            {
                // SQLite reads '#name', '#1' and '@1' as variables; PostgreSQL the '#' (XOR) and '@' (absolute value) operators.
                ambiguity ??= $"'{c}{next}': SQLite reads a variable, PostgreSQL the '{c}' operator; use @name parameters, and spaces around operators";
                tokens.Add(Symbol(i, c));
                i++;
            }
            else if (IsNameStart(c))
            {
                int end = NameEnd(sql, i);
                if (end - i == 1 && (c is 'u' or 'U') && end + 1 < n && sql[end] == '&' && sql[end + 1] is '\'' or '"')
                {
                    ambiguity ??= "a PostgreSQL U&'…' escape";
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, i, end - i, sql.Substring(i, end - i)));
                i = end;
            }
            else if (IsDigit(c) || (c == '.' && IsDigit(next)))
            {
                int end = NumberEnd(sql, i);
                tokens.Add(new SqlToken(SqlTokenKind.Number, i, end - i, sql.Substring(i, end - i)));
                i = end;
            }
            else
            {
                if (c == '$')
                {
                    ambiguity ??= "a '$': PostgreSQL reads $$ strings and $1 parameters, SQLite $name parameters; use '…' strings and @name parameters";
                }
                else if (c < ' ' || c == '\x7f')
                {
                    ambiguity ??= $"the control character U+{(int)c:X4}";
                }

                tokens.Add(Symbol(i, c));
                i++;
            }
        }

        return new SqlTokens(sql, tokens, blanks, error, ambiguity);
    }

    /// <summary>Letters, '_' and every non-ASCII character start a name in both SQLite and PostgreSQL.</summary>
    public static bool IsNameStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= '\x80';

    public static bool IsNamePart(char c) => IsNameStart(c) || IsDigit(c) || c == '$';

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static SqlToken Symbol(int at, char c) => new(SqlTokenKind.Symbol, at, 1, c < Symbols.Length ? Symbols[c] : c.ToString());

    /// <summary>The index of the closing quote (doubled quotes are escapes), or -1.</summary>
    private static int Quoted(string sql, int open, char quote)
    {
        int i = open + 1;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }

                return i;
            }

            i++;
        }

        return -1;
    }

    private static bool IsPlainName(string sql, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!IsNamePart(sql[i]) && sql[i] != ' ')
            {
                return false;
            }
        }

        return true;
    }

    private static int NameEnd(string sql, int i)
    {
        while (i < sql.Length && IsNamePart(sql[i]))
        {
            i++;
        }

        return i;
    }

    private static int NumberEnd(string sql, int i)
    {
        int n = sql.Length;
        if (sql[i] == '0' && i + 2 < n && sql[i + 1] is 'x' or 'X' && Uri.IsHexDigit(sql[i + 2]))
        {
            i += 2;
            while (i < n && Uri.IsHexDigit(sql[i]))
            {
                i++;
            }

            return i;
        }

        while (i < n && IsDigit(sql[i]))
        {
            i++;
        }

        if (i < n && sql[i] == '.')
        {
            i++;
            while (i < n && IsDigit(sql[i]))
            {
                i++;
            }
        }

        if (i + 1 < n && sql[i] is 'e' or 'E' && (IsDigit(sql[i + 1]) || (sql[i + 1] is '+' or '-' && i + 2 < n && IsDigit(sql[i + 2]))))
        {
            i += 2;
            while (i < n && IsDigit(sql[i]))
            {
                i++;
            }
        }

        return i;
    }

    private static string[] CreateSymbols()
    {
        var symbols = new string[128];
        for (int c = 0; c < symbols.Length; c++)
        {
            symbols[c] = ((char)c).ToString();
        }

        return symbols;
    }
}
