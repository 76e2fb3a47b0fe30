using System;
using System.Collections.Generic;

namespace Rampart.Generator.Parsing;

/// <summary>Tokens <c>[Start, End)</c> of one statement.</summary>
internal readonly struct SqlRange
{
    public static readonly SqlRange None = new(0, 0);

    public SqlRange(int start, int end)
    {
        Start = start;
        End = end;
    }

    public int Start { get; }

    public int End { get; }

    public bool IsEmpty => End <= Start;
}

/// <summary>The SQL uses something the reader does not read; checks that need the structure fail closed.</summary>
internal sealed class SqlUnreadableException : Exception
{
    public SqlUnreadableException(string message)
        : base(message)
    {
    }
}

internal enum SqlStatementKind
{
    Query,
    Insert,
    Update,
    Delete,
}

internal enum SqlSourceKind
{
    Table,
    Function,
    Derived,
}

/// <summary>How a FROM item joins the items before it.</summary>
internal enum SqlJoin
{
    First,
    Comma,
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

/// <summary><c>WITH [RECURSIVE] name AS (…), …</c>.</summary>
internal sealed class SqlWith
{
    public SqlWith(bool recursive, List<(SqlToken Name, SqlQuery Body)> queries)
    {
        Recursive = recursive;
        Queries = queries;
    }

    public bool Recursive { get; }

    public List<(SqlToken Name, SqlQuery Body)> Queries { get; }
}

/// <summary>One FROM item (or the target of INSERT, UPDATE, DELETE): a table, a table function or a sub-query.</summary>
internal sealed class SqlSource
{
    public SqlSource(SqlSourceKind kind, List<SqlToken> name, SqlToken? alias, SqlJoin join, bool lateral, SqlQuery? query, List<SqlQuery> subqueries)
    {
        Kind = kind;
        Name = name;
        Alias = alias;
        Join = join;
        Lateral = lateral;
        Query = query;
        Subqueries = subqueries;
    }

    public SqlSourceKind Kind { get; }

    /// <summary>The dotted name of a table or function (<c>main.items</c> → two parts); empty for a sub-query.</summary>
    public List<SqlToken> Name { get; }

    public SqlToken? Alias { get; }

    public SqlJoin Join { get; }

    public bool Lateral { get; }

    /// <summary>The ON condition of its join, if any.</summary>
    public SqlRange On { get; set; } = SqlRange.None;

    /// <summary>The sub-query of a derived table.</summary>
    public SqlQuery? Query { get; }

    /// <summary>Sub-queries in a table function's arguments.</summary>
    public List<SqlQuery> Subqueries { get; }

    /// <summary>The name other clauses use for it: the alias, else the last part of its name; null for an unnamed sub-query.</summary>
    public SqlToken? Exposed => Alias ?? (Name.Count > 0 ? Name[Name.Count - 1] : null);

    public string Display => Name.Count == 0 ? "(sub-query)" : string.Join(".", Name.ConvertAll(t => t.ToString()));
}

/// <summary>
/// One level of a query: a SELECT (its FROM items and WHERE), or the target and FROM/USING items of an
/// UPDATE or DELETE. <see cref="Subqueries"/> are the queries nested in its expressions.
/// </summary>
internal sealed class SqlBlock
{
    public SqlBlock(List<SqlSource> sources, SqlRange where, List<SqlRange> results, List<SqlQuery> subqueries)
    {
        Sources = sources;
        Where = where;
        Results = results;
        Subqueries = subqueries;
    }

    public List<SqlSource> Sources { get; }

    public SqlRange Where { get; }

    /// <summary>The select list, one range per column.</summary>
    public List<SqlRange> Results { get; }

    public List<SqlQuery> Subqueries { get; }
}

/// <summary>One operand of UNION/EXCEPT/INTERSECT: a SELECT, a VALUES list or a parenthesised query.</summary>
internal sealed class SqlBranch
{
    public SqlBlock? Select { get; init; }

    public List<List<SqlRange>>? Values { get; init; }

    public SqlQuery? Nested { get; init; }

    /// <summary>Sub-queries of VALUES cells and of a trailing ORDER BY/LIMIT.</summary>
    public List<SqlQuery> Subqueries { get; init; } = new();
}

internal sealed class SqlQuery
{
    public SqlQuery(SqlWith? with, List<SqlBranch> branches)
    {
        With = with;
        Branches = branches;
    }

    public SqlWith? With { get; }

    public List<SqlBranch> Branches { get; }
}

/// <summary><c>column = value</c> or <c>(a, b) = …</c> in SET.</summary>
internal sealed class SqlAssignment
{
    public SqlAssignment(List<SqlToken> columns, SqlRange value)
    {
        Columns = columns;
        Value = value;
    }

    /// <summary>The columns assigned (their last name part).</summary>
    public List<SqlToken> Columns { get; }

    public SqlRange Value { get; }
}

/// <summary><c>ON CONFLICT [(target)] DO NOTHING | DO UPDATE SET … [WHERE …]</c>.</summary>
internal sealed class SqlUpsert
{
    public SqlRange Target { get; init; } = SqlRange.None;

    public bool OnConstraint { get; init; }

    public bool DoUpdate { get; init; }

    public List<SqlAssignment> Set { get; init; } = new();

    public SqlRange Where { get; init; } = SqlRange.None;
}

/// <summary>A statement read into the parts the owner-scope check needs.</summary>
internal sealed class SqlStatement
{
    public SqlStatement(SqlStatementKind kind, SqlReader reader)
    {
        Kind = kind;
        Reader = reader;
    }

    public SqlStatementKind Kind { get; }

    /// <summary>The tokens and the condition reader over them.</summary>
    public SqlReader Reader { get; }

    public SqlWith? With { get; set; }

    /// <summary>The query of a SELECT, or the rows of INSERT … SELECT.</summary>
    public SqlQuery? Query { get; set; }

    /// <summary>The table INSERT, UPDATE or DELETE writes.</summary>
    public SqlSource? Target { get; set; }

    /// <summary>UPDATE and DELETE: the target (first) and the FROM/USING items, with WHERE.</summary>
    public SqlBlock? Block { get; set; }

    /// <summary>"INSERT OR REPLACE", "REPLACE INTO" or "UPDATE OR REPLACE" when used.</summary>
    public string? Replace { get; set; }

    /// <summary>INSERT: the column list (null when absent).</summary>
    public List<SqlToken>? Columns { get; set; }

    /// <summary>INSERT: the VALUES rows, one range per cell.</summary>
    public List<List<SqlRange>>? Rows { get; set; }

    public bool DefaultValues { get; set; }

    public List<SqlAssignment> Set { get; } = new();

    public List<SqlUpsert> Upserts { get; } = new();

    /// <summary>Sub-queries in SET values, VALUES cells, RETURNING and ON CONFLICT clauses.</summary>
    public List<SqlQuery> Subqueries { get; } = new();
}

/// <summary>
/// Reads one SQL statement from its tokens into <see cref="SqlStatement"/>: WITH queries, the branches of
/// UNION/EXCEPT/INTERSECT, FROM items and joins, WHERE, SET, VALUES, ON CONFLICT, and every sub-query in
/// their expressions. It reads the SQL that SQLite and PostgreSQL share and throws
/// <see cref="SqlUnreadableException"/> (saying what it met) for anything else — a second statement, a
/// keyword used as a name, a parenthesised join, a data-modifying WITH — instead of guessing.
/// </summary>
internal sealed class SqlReader
{
    // Words that never name a table or alias here: a name in their place is not read.
    private static readonly HashSet<string> Reserved = new(AsciiIgnoreCase.Instance)
    {
        "ALL", "AND", "ANY", "AS", "BETWEEN", "BY", "CASE", "CROSS", "DEFAULT", "DELETE", "DISTINCT", "ELSE", "END", "EXCEPT",
        "EXISTS", "FETCH", "FOR", "FROM", "FULL", "GROUP", "HAVING", "IN", "INDEXED", "INNER", "INSERT", "INTERSECT",
        "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR",
        "ORDER", "OUTER", "RETURNING", "RIGHT", "SELECT", "SET", "SOME", "TABLE", "THEN", "UNION", "UPDATE", "USING",
        "VALUES", "WHEN", "WHERE", "WINDOW", "WITH",
    };

    // Words after which an expression is not complete: a clause keyword right after one is read as a name.
    private static readonly HashSet<string> Continues = new(AsciiIgnoreCase.Instance)
    {
        "ALL", "AND", "ANY", "AS", "BETWEEN", "BY", "CASE", "COLLATE", "CROSS", "DISTINCT", "ELSE", "ESCAPE",
        "EXCEPT", "EXISTS", "FETCH", "FOR", "FROM", "FULL", "GLOB", "GROUP", "HAVING", "ILIKE", "IN", "INNER",
        "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "MATCH", "NATURAL", "NOT",
        "OFFSET", "ON", "OR", "ORDER", "OUTER", "REGEXP", "RETURNING", "RIGHT", "SELECT", "SET", "SIMILAR", "SOME",
        "THEN", "TO", "UNION", "USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN",
    };

    private static readonly string[] SelectClauses = { "FROM", "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "INTO" };

    private readonly IReadOnlyList<SqlToken> _t;
    private readonly int[] _close;
    private readonly SqlFunctions _functions;

    private SqlReader(IReadOnlyList<SqlToken> tokens, int[] close, SqlFunctions functions)
    {
        _t = tokens;
        _close = close;
        _functions = functions;
    }

    public SqlToken this[int index] => _t[index];

    /// <summary>
    /// Reads the statement; throws <see cref="SqlUnreadableException"/> when it cannot, or when it calls a
    /// function <paramref name="functions"/> does not allow.
    /// </summary>
    public static SqlStatement Read(SqlTokens tokens, SqlFunctions functions)
    {
        if (tokens.Error is not null)
        {
            throw new SqlUnreadableException("an unterminated literal or comment: " + tokens.Error);
        }

        if (tokens.Ambiguity is not null)
        {
            throw new SqlUnreadableException(tokens.Ambiguity);
        }

        var t = tokens.Tokens;
        var reader = new SqlReader(t, Match(t), functions);
        int end = t.Count;
        for (int i = 0; i < t.Count; i++)
        {
            if (t[i].IsSymbol(';'))
            {
                if (i + 1 < t.Count)
                {
                    throw new SqlUnreadableException("more than one statement: SQL follows ';'");
                }

                end = i;
            }
        }

        if (end == 0)
        {
            throw new SqlUnreadableException("no statement");
        }

        return reader.Statement(0, end);
    }

    /// <summary>
    /// The top-level AND terms of a condition (a parenthesised AND term is opened up); <paramref name="hasOr"/>
    /// is true when OR joins terms at the top level, so no single term must hold.
    /// </summary>
    public List<SqlRange> Conjuncts(SqlRange condition, out bool hasOr)
    {
        var terms = new List<SqlRange>();
        hasOr = false;
        if (condition.IsEmpty)
        {
            return terms;
        }

        int start = condition.Start;
        bool between = false;
        for (int i = condition.Start; i < condition.End; i = Next(i))
        {
            if (_t[i].IsWord("OR"))
            {
                hasOr = true;
            }
            else if (_t[i].IsWord("BETWEEN"))
            {
                between = true;
            }
            else if (_t[i].IsWord("AND"))
            {
                if (between)
                {
                    // x BETWEEN a AND b: this AND belongs to BETWEEN.
                    between = false;
                    continue;
                }

                AddTerm(terms, start, i);
                start = i + 1;
            }
        }

        AddTerm(terms, start, condition.End);
        return terms;
    }

    /// <summary>The range without parentheses around all of it.</summary>
    public SqlRange Unwrap(SqlRange range)
    {
        while (range.End - range.Start >= 2 && _t[range.Start].IsSymbol('(') && _close[range.Start] == range.End - 1)
        {
            range = new SqlRange(range.Start + 1, range.End - 1);
        }

        return range;
    }

    /// <summary>The dotted name <paramref name="range"/> is exactly (<c>a</c>, <c>a.b</c>, <c>a.b.c</c>), or null.</summary>
    public List<SqlToken>? DottedName(SqlRange range)
    {
        int length = range.End - range.Start;
        if (length < 1 || length % 2 == 0)
        {
            return null;
        }

        var parts = new List<SqlToken>(length / 2 + 1);
        for (int i = range.Start; i < range.End; i += 2)
        {
            if (!_t[i].IsName || (i + 1 < range.End && !_t[i + 1].IsSymbol('.')))
            {
                return null;
            }

            parts.Add(_t[i]);
        }

        return parts;
    }

    private void AddTerm(List<SqlRange> terms, int start, int end)
    {
        if (end <= start || !EndsExpression(end - 1))
        {
            throw new SqlUnreadableException($"an incomplete condition near '{(end > start ? _t[end - 1] : _t[Math.Min(start, _t.Count - 1)])}' (a keyword used as a name? quote it)");
        }

        var inner = Unwrap(new SqlRange(start, end));
        if (inner.Start != start)
        {
            var nested = Conjuncts(inner, out bool or);
            if (!or)
            {
                terms.AddRange(nested);
                return;
            }
        }

        terms.Add(new SqlRange(start, end));
    }

    private static int[] Match(IReadOnlyList<SqlToken> t)
    {
        var close = new int[t.Count];
        var open = new Stack<int>();
        for (int i = 0; i < t.Count; i++)
        {
            close[i] = -1;
            if (t[i].IsSymbol('(') || t[i].IsWord("CASE"))
            {
                open.Push(i);
            }
            else if (t[i].IsSymbol(')') || t[i].IsWord("END"))
            {
                bool paren = t[i].IsSymbol(')');
                if (open.Count == 0 || t[open.Peek()].IsSymbol('(') != paren)
                {
                    throw new SqlUnreadableException(paren ? "a ')' without its '('" : "END without CASE (a keyword used as a name? quote it)");
                }

                close[open.Pop()] = i;
            }
        }

        if (open.Count > 0)
        {
            throw new SqlUnreadableException(t[open.Peek()].IsSymbol('(') ? "a '(' without its ')'" : "CASE without END");
        }

        return close;
    }

    /// <summary>The token after the one at <paramref name="i"/>, skipping a parenthesised group or CASE … END.</summary>
    private int Next(int i) => _close[i] >= 0 ? _close[i] + 1 : i + 1;

    private bool Is(int i, int end, string word) => i < end && _t[i].IsWord(word);

    private bool IsSymbol(int i, int end, char c) => i < end && _t[i].IsSymbol(c);

    private void Expect(int i, int end, string word, string where)
    {
        if (!Is(i, end, word))
        {
            throw new SqlUnreadableException($"{where}: expected {word} but found {Found(i, end)}");
        }
    }

    private string Found(int i, int end) => i < end ? "'" + _t[i] + "'" : "the end";

    /// <summary>Whether the token at <paramref name="i"/> can end an expression (so a keyword after it starts a clause).</summary>
    private bool EndsExpression(int i)
    {
        var token = _t[i];
        return token.Kind switch
        {
            SqlTokenKind.Word => !Continues.Contains(token.Value) || (i > 0 && _t[i - 1].IsWord("AS")),
            SqlTokenKind.Symbol => token.IsSymbol(')')
                || (token.IsSymbol('*') && i > 0 && (_t[i - 1].IsSymbol(',') || _t[i - 1].IsSymbol('.') || _t[i - 1].IsWord("SELECT") || _t[i - 1].IsWord("DISTINCT") || _t[i - 1].IsWord("ALL"))),
            _ => true,
        };
    }

    /// <summary>The first top-level token in [start, end) that is one of <paramref name="words"/> and starts a clause; end if none.</summary>
    private int FindClause(int start, int end, params string[] words)
    {
        for (int i = start; i < end; i = Next(i))
        {
            if (_t[i].Kind != SqlTokenKind.Word)
            {
                continue;
            }

            foreach (string word in words)
            {
                if (_t[i].IsWord(word) && StartsClause(i, start))
                {
                    return i;
                }
            }
        }

        return end;
    }

    /// <summary>
    /// Whether the clause keyword at <paramref name="i"/> starts a clause. Keywords both databases reserve
    /// always do (FROM except in IS [NOT] DISTINCT FROM, GROUP except in WITHIN GROUP); OFFSET, FETCH, FOR
    /// and WINDOW, which SQLite also accepts as names, only after a complete expression.
    /// </summary>
    private bool StartsClause(int i, int start)
    {
        var k = _t[i];
        if (k.IsWord("OFFSET") || k.IsWord("FETCH") || k.IsWord("FOR") || k.IsWord("WINDOW"))
        {
            return i > start && EndsExpression(i - 1);
        }

        return !(i > 0 && ((k.IsWord("FROM") && _t[i - 1].IsWord("DISTINCT")) || (k.IsWord("GROUP") && _t[i - 1].IsWord("WITHIN"))));
    }

    private bool IsConflict(int i, int end) => Is(i, end, "ON") && Is(i + 1, end, "CONFLICT");

    private SqlStatement Statement(int start, int end)
    {
        int verb = start;
        SqlWith? with = null;
        if (Is(start, end, "WITH"))
        {
            (with, verb) = With(start, end);
        }

        SqlStatement statement;
        if (Is(verb, end, "SELECT") || Is(verb, end, "VALUES") || IsSymbol(verb, end, '('))
        {
            return new SqlStatement(SqlStatementKind.Query, this) { Query = Query(with, verb, end) };
        }

        if (Is(verb, end, "INSERT") || Is(verb, end, "REPLACE"))
        {
            statement = Insert(verb, end);
        }
        else if (Is(verb, end, "UPDATE"))
        {
            statement = Update(verb, end);
        }
        else if (Is(verb, end, "DELETE"))
        {
            statement = Delete(verb, end);
        }
        else
        {
            throw new SqlUnreadableException($"a statement that starts with {Found(verb, end)} (SELECT, INSERT, UPDATE and DELETE are read)");
        }

        statement.With = with;
        return statement;
    }

    private (SqlWith With, int Next) With(int start, int end)
    {
        int i = start + 1;
        bool recursive = false;
        if (Is(i, end, "RECURSIVE"))
        {
            recursive = true;
            i++;
        }

        var queries = new List<(SqlToken, SqlQuery)>();
        while (true)
        {
            var name = NameAt(i, end, "a WITH query");
            i++;
            if (IsSymbol(i, end, '('))
            {
                i = _close[i] + 1;
            }

            Expect(i, end, "AS", "WITH " + name);
            i++;
            if (Is(i, end, "NOT") && Is(i + 1, end, "MATERIALIZED"))
            {
                i += 2;
            }
            else if (Is(i, end, "MATERIALIZED"))
            {
                i++;
            }

            if (!IsSymbol(i, end, '('))
            {
                throw new SqlUnreadableException($"WITH {name}: expected '(' but found {Found(i, end)}");
            }

            int close = _close[i];
            if (Is(i + 1, close, "INSERT") || Is(i + 1, close, "UPDATE") || Is(i + 1, close, "DELETE") || Is(i + 1, close, "REPLACE"))
            {
                throw new SqlUnreadableException($"a WITH query that changes rows ({name} holds INSERT, UPDATE or DELETE); run it as its own statement");
            }

            queries.Add((name, Query(i + 1, close)));
            i = close + 1;
            if (!IsSymbol(i, end, ','))
            {
                return (new SqlWith(recursive, queries), i);
            }

            i++;
        }
    }

    private SqlToken NameAt(int i, int end, string what)
    {
        if (i >= end || !_t[i].IsName || (_t[i].Kind == SqlTokenKind.Word && Reserved.Contains(_t[i].Value)))
        {
            throw new SqlUnreadableException($"{what}: expected a name but found {Found(i, end)}");
        }

        return _t[i];
    }

    /// <summary>A query: [WITH …] branch { UNION|EXCEPT|INTERSECT [ALL|DISTINCT] branch }.</summary>
    private SqlQuery Query(int start, int end)
    {
        SqlWith? with = null;
        if (Is(start, end, "WITH"))
        {
            (with, start) = With(start, end);
        }

        return Query(with, start, end);
    }

    private SqlQuery Query(SqlWith? with, int start, int end)
    {
        var branches = new List<SqlBranch>();
        int branch = start;
        for (int i = start; i <= end; i = i < end ? Next(i) : end + 1)
        {
            if (i == end || Is(i, end, "UNION") || Is(i, end, "EXCEPT") || Is(i, end, "INTERSECT"))
            {
                branches.Add(Branch(branch, i));
                if (i < end)
                {
                    branch = i + 1;
                    if (Is(branch, end, "ALL") || Is(branch, end, "DISTINCT"))
                    {
                        branch++;
                    }
                }
            }
        }

        return new SqlQuery(with, branches);
    }

    private SqlBranch Branch(int start, int end)
    {
        if (start >= end)
        {
            throw new SqlUnreadableException("an empty query around UNION, EXCEPT or INTERSECT");
        }

        if (_t[start].IsSymbol('('))
        {
            int close = _close[start];
            var nested = Query(start + 1, close);
            return new SqlBranch { Nested = nested, Subqueries = Tail(close + 1, end) };
        }

        if (_t[start].IsWord("SELECT"))
        {
            return new SqlBranch { Select = Select(start, end) };
        }

        if (_t[start].IsWord("VALUES"))
        {
            var subqueries = new List<SqlQuery>();
            var (rows, next) = Rows(start + 1, end, subqueries);
            subqueries.AddRange(Tail(next, end));
            return new SqlBranch { Values = rows, Subqueries = subqueries };
        }

        throw new SqlUnreadableException($"{Found(start, end)} where a SELECT was expected (PostgreSQL's TABLE name is not read; write SELECT … FROM name WHERE …)");
    }

    /// <summary>The ORDER BY/LIMIT/OFFSET/FETCH after a parenthesised query or VALUES.</summary>
    private List<SqlQuery> Tail(int start, int end)
    {
        var subqueries = new List<SqlQuery>();
        if (start < end)
        {
            if (!(Is(start, end, "ORDER") || Is(start, end, "LIMIT") || Is(start, end, "OFFSET") || Is(start, end, "FETCH")))
            {
                throw new SqlUnreadableException($"{Found(start, end)} after a query");
            }

            Scan(start, end, subqueries);
        }

        return subqueries;
    }

    private (List<List<SqlRange>> Rows, int Next) Rows(int start, int end, List<SqlQuery> subqueries)
    {
        var rows = new List<List<SqlRange>>();
        int i = start;
        while (true)
        {
            if (!IsSymbol(i, end, '('))
            {
                throw new SqlUnreadableException($"VALUES: expected '(' but found {Found(i, end)}");
            }

            int close = _close[i];
            var cells = Split(i + 1, close);
            foreach (var cell in cells)
            {
                Scan(cell.Start, cell.End, subqueries);
            }

            rows.Add(cells);
            i = close + 1;
            if (!IsSymbol(i, end, ','))
            {
                return (rows, i);
            }

            i++;
        }
    }

    /// <summary>The items of a comma-separated list (commas inside parentheses do not split).</summary>
    public List<SqlRange> Items(SqlRange list) => Split(list.Start, list.End);

    /// <summary>Splits [start, end) at top-level commas.</summary>
    private List<SqlRange> Split(int start, int end)
    {
        var parts = new List<SqlRange>();
        int from = start;
        for (int i = start; i < end; i = Next(i))
        {
            if (_t[i].IsSymbol(','))
            {
                parts.Add(new SqlRange(from, i));
                from = i + 1;
            }
        }

        parts.Add(new SqlRange(from, end));
        foreach (var part in parts)
        {
            if (part.IsEmpty)
            {
                throw new SqlUnreadableException("an empty item in a comma-separated list");
            }
        }

        return parts;
    }

    private SqlBlock Select(int start, int end)
    {
        int i = start + 1;
        var subqueries = new List<SqlQuery>();
        if (Is(i, end, "DISTINCT"))
        {
            i++;
            if (Is(i, end, "ON") && IsSymbol(i + 1, end, '('))
            {
                Scan(i + 1, _close[i + 1] + 1, subqueries);
                i = _close[i + 1] + 1;
            }
        }
        else if (Is(i, end, "ALL"))
        {
            i++;
        }

        // The clauses, in the order SQL allows; LIMIT, OFFSET, FETCH and FOR in any order after ORDER BY.
        const int Limit = 6;
        var starts = new List<int>();
        int rank = -1;
        for (int at = FindClause(i, end, SelectClauses); at < end; at = FindClause(at + 1, end, SelectClauses))
        {
            int r = Array.FindIndex(SelectClauses, w => _t[at].IsWord(w));
            if (r == SelectClauses.Length - 1)
            {
                throw new SqlUnreadableException("SELECT … INTO (it creates a table)");
            }

            if ((r < Limit && r <= rank) || starts.Exists(s => _t[s].IsWord(_t[at].Value)))
            {
                throw new SqlUnreadableException($"the clause '{_t[at]}' out of place (a keyword used as a name? quote it)");
            }

            rank = Math.Max(rank, Math.Min(r, Limit));
            CheckClause(at, end);
            starts.Add(at);
        }

        int listEnd = starts.Count > 0 ? starts[0] : end;
        var results = Split(i, listEnd);
        Scan(i, listEnd, subqueries);
        var sources = new List<SqlSource>();
        var where = SqlRange.None;
        for (int k = 0; k < starts.Count; k++)
        {
            int at = starts[k];
            int stop = k + 1 < starts.Count ? starts[k + 1] : end;
            if (_t[at].IsWord("FROM"))
            {
                sources = From(at + 1, stop, subqueries);
            }
            else
            {
                if (_t[at].IsWord("WHERE"))
                {
                    where = new SqlRange(at + 1, stop);
                }

                Scan(at + 1, stop, subqueries);
            }
        }

        return new SqlBlock(sources, where, results, subqueries);
    }

    /// <summary>A clause keyword must be followed by what makes it one (ORDER BY, FOR UPDATE, …) and by something.</summary>
    private void CheckClause(int at, int end)
    {
        var k = _t[at];
        bool ok = at + 1 < end && (!(k.IsWord("GROUP") || k.IsWord("ORDER")) || Is(at + 1, end, "BY"))
            && (!k.IsWord("FETCH") || Is(at + 1, end, "FIRST") || Is(at + 1, end, "NEXT"))
            && (!k.IsWord("FOR") || Is(at + 1, end, "UPDATE") || Is(at + 1, end, "SHARE") || Is(at + 1, end, "NO") || Is(at + 1, end, "KEY"))
            && (!k.IsWord("WINDOW") || Is(at + 2, end, "AS"));
        if (!ok)
        {
            throw new SqlUnreadableException($"'{k}' followed by {Found(at + 1, end)} (a keyword used as a name? quote it)");
        }
    }

    /// <summary>FROM items: sources joined by ',' or JOIN, with their ON conditions.</summary>
    private List<SqlSource> From(int start, int end, List<SqlQuery> subqueries, SqlJoin first = SqlJoin.First)
    {
        var sources = new List<SqlSource>();
        int i = start;
        var join = first;
        bool natural = false;
        while (true)
        {
            var source = Source(ref i, end, join);
            sources.Add(source);
            if (Is(i, end, "ON"))
            {
                if (join is SqlJoin.First or SqlJoin.Comma or SqlJoin.Cross || natural)
                {
                    throw new SqlUnreadableException($"ON after {source.Display} without a JOIN that takes one");
                }

                int stop = i + 1;
                while (stop < end && !_t[stop].IsSymbol(',') && JoinLength(stop, end) == 0)
                {
                    stop = Next(stop);
                }

                source.On = new SqlRange(i + 1, stop);
                if (source.On.IsEmpty)
                {
                    throw new SqlUnreadableException("an empty ON condition");
                }

                Scan(i + 1, stop, subqueries);
                i = stop;
            }
            else if (Is(i, end, "USING") && IsSymbol(i + 1, end, '('))
            {
                i = _close[i + 1] + 1;
            }

            if (i >= end)
            {
                return sources;
            }

            if (_t[i].IsSymbol(','))
            {
                join = SqlJoin.Comma;
                natural = false;
                i++;
                continue;
            }

            int length = JoinLength(i, end);
            if (length == 0)
            {
                throw new SqlUnreadableException($"{Found(i, end)} in FROM after {source.Display} (only tables, sub-queries, table functions, aliases, ',' and JOIN … ON/USING are read)");
            }

            natural = _t[i].IsWord("NATURAL");
            var kind = _t[i + (natural ? 1 : 0)];
            join = kind.IsWord("LEFT") ? SqlJoin.Left
                : kind.IsWord("RIGHT") ? SqlJoin.Right
                : kind.IsWord("FULL") ? SqlJoin.Full
                : kind.IsWord("CROSS") ? SqlJoin.Cross
                : SqlJoin.Inner;
            i += length;
        }
    }

    /// <summary>The number of tokens of a join operator at <paramref name="i"/> (<c>NATURAL LEFT OUTER JOIN</c> is 4), or 0.</summary>
    private int JoinLength(int i, int end)
    {
        int k = i;
        if (Is(k, end, "NATURAL"))
        {
            k++;
        }

        if (Is(k, end, "LEFT") || Is(k, end, "RIGHT") || Is(k, end, "FULL"))
        {
            k++;
            if (Is(k, end, "OUTER"))
            {
                k++;
            }
        }
        else if (Is(k, end, "INNER") || Is(k, end, "CROSS"))
        {
            k++;
        }

        return Is(k, end, "JOIN") ? k + 1 - i : 0;
    }

    /// <summary>One FROM item with its alias.</summary>
    private SqlSource Source(ref int i, int end, SqlJoin join)
    {
        bool lateral = false;
        if (Is(i, end, "LATERAL"))
        {
            lateral = true;
            i++;
        }

        if (Is(i, end, "ONLY"))
        {
            i++;
        }

        SqlSourceKind kind;
        var name = new List<SqlToken>();
        SqlQuery? query = null;
        var subqueries = new List<SqlQuery>();
        if (IsSymbol(i, end, '('))
        {
            int close = _close[i];
            if (!(Is(i + 1, close, "SELECT") || Is(i + 1, close, "WITH") || Is(i + 1, close, "VALUES") || IsSymbol(i + 1, close, '(')))
            {
                throw new SqlUnreadableException("a parenthesised join in FROM; write the joins without parentheses");
            }

            kind = SqlSourceKind.Derived;
            query = Query(i + 1, close);
            i = close + 1;
        }
        else
        {
            name.Add(NameAt(i, end, "FROM"));
            i++;
            while (IsSymbol(i, end, '.'))
            {
                name.Add(NameAt(i + 1, end, "FROM"));
                i += 2;
            }

            kind = SqlSourceKind.Table;
            if (IsSymbol(i, end, '('))
            {
                kind = SqlSourceKind.Function;
                CheckFunction(name);
                Scan(i + 1, _close[i], subqueries);
                i = _close[i] + 1;
            }
        }

        SqlToken? alias = null;
        if (Is(i, end, "AS"))
        {
            alias = NameAt(i + 1, end, "AS");
            i += 2;
        }
        else if (IsBareAlias(i, end))
        {
            alias = _t[i];
            i++;
        }

        if (IsSymbol(i, end, '('))
        {
            if (kind != SqlSourceKind.Derived)
            {
                throw new SqlUnreadableException($"{string.Join(".", name.ConvertAll(t => t.ToString()))} {alias}(…) renames its columns; the owner column must keep its name");
            }

            i = _close[i] + 1;
        }

        // SQLite's INDEXED BY name / NOT INDEXED choose an index, not rows.
        if (Is(i, end, "INDEXED") && Is(i + 1, end, "BY"))
        {
            i += 3;
        }
        else if (Is(i, end, "NOT") && Is(i + 1, end, "INDEXED"))
        {
            i += 2;
        }

        return new SqlSource(kind, name, alias, join, lateral, query, subqueries);
    }

    /// <summary>An alias without AS: a name that is not a keyword the reader knows.</summary>
    private bool IsBareAlias(int i, int end) =>
        i < end && _t[i].IsName && !(_t[i].Kind == SqlTokenKind.Word && Reserved.Contains(_t[i].Value));

    /// <summary>The table INSERT, UPDATE or DELETE writes, with its alias (INSERT takes one only after AS).</summary>
    private SqlSource Target(ref int i, int end, bool bareAlias)
    {
        if (Is(i, end, "ONLY"))
        {
            i++;
        }

        var name = new List<SqlToken> { NameAt(i, end, "the table written") };
        i++;
        while (IsSymbol(i, end, '.'))
        {
            name.Add(NameAt(i + 1, end, "the table written"));
            i += 2;
        }

        SqlToken? alias = null;
        if (Is(i, end, "AS"))
        {
            alias = NameAt(i + 1, end, "AS");
            i += 2;
        }
        else if (bareAlias && IsBareAlias(i, end))
        {
            alias = _t[i];
            i++;
        }

        if (Is(i, end, "INDEXED") && Is(i + 1, end, "BY"))
        {
            i += 3;
        }
        else if (Is(i, end, "NOT") && Is(i + 1, end, "INDEXED"))
        {
            i += 2;
        }

        return new SqlSource(SqlSourceKind.Table, name, alias, SqlJoin.First, lateral: false, query: null, new List<SqlQuery>());
    }

    private SqlStatement Update(int start, int end)
    {
        var statement = new SqlStatement(SqlStatementKind.Update, this);
        int i = start + 1;
        if (Is(i, end, "OR"))
        {
            if (Is(i + 1, end, "REPLACE"))
            {
                statement.Replace = "UPDATE OR REPLACE";
            }

            i += 2;
        }

        var target = Target(ref i, end, bareAlias: true);
        statement.Target = target;
        Expect(i, end, "SET", "UPDATE " + target.Display);
        int set = i + 1;
        int clause = FindClause(set, end, "FROM", "WHERE", "RETURNING", "ORDER", "LIMIT");
        Assignments(set, clause, statement.Set, statement.Subqueries);
        statement.Block = Rest(target, clause, end, "FROM");
        return statement;
    }

    private SqlStatement Delete(int start, int end)
    {
        var statement = new SqlStatement(SqlStatementKind.Delete, this);
        Expect(start + 1, end, "FROM", "DELETE");
        int i = start + 2;
        var target = Target(ref i, end, bareAlias: true);
        statement.Target = target;
        int clause = FindClause(i, end, "USING", "WHERE", "RETURNING", "ORDER", "LIMIT");
        if (clause != i)
        {
            throw new SqlUnreadableException($"{Found(i, end)} after DELETE FROM {target.Display}");
        }

        statement.Block = Rest(target, clause, end, "USING");
        return statement;
    }

    /// <summary>UPDATE/DELETE after SET: [FROM|USING items] [WHERE …] [RETURNING …] [ORDER BY …] [LIMIT …].</summary>
    private SqlBlock Rest(SqlSource target, int clause, int end, string more)
    {
        var sources = new List<SqlSource> { target };
        var where = SqlRange.None;
        var subqueries = new List<SqlQuery>();
        string[] order = { more, "WHERE", "RETURNING", "ORDER", "LIMIT" };
        int rank = -1;
        while (clause < end)
        {
            int r = Array.FindIndex(order, w => _t[clause].IsWord(w));
            if (r <= rank)
            {
                throw new SqlUnreadableException($"the clause '{_t[clause]}' out of place (a keyword used as a name? quote it)");
            }

            rank = r;
            int stop = FindClause(clause + 1, end, order);
            if (r == 0)
            {
                sources.AddRange(From(clause + 1, stop, subqueries, SqlJoin.Comma));
            }
            else if (r == 1)
            {
                if (Is(clause + 1, stop, "CURRENT") && Is(clause + 2, stop, "OF"))
                {
                    throw new SqlUnreadableException("WHERE CURRENT OF (a cursor's row)");
                }

                where = new SqlRange(clause + 1, stop);
                Scan(clause + 1, stop, subqueries);
            }
            else
            {
                Scan(clause + 1, stop, subqueries);
            }

            clause = stop;
        }

        return new SqlBlock(sources, where, new List<SqlRange>(), subqueries);
    }

    /// <summary>SET a = x, (b, c) = (…).</summary>
    private void Assignments(int start, int end, List<SqlAssignment> assignments, List<SqlQuery> subqueries)
    {
        foreach (var part in Split(start, end))
        {
            int eq = part.Start;
            var columns = new List<SqlToken>();
            if (_t[eq].IsSymbol('('))
            {
                foreach (var column in Split(eq + 1, _close[eq]))
                {
                    var name = DottedName(column) ?? throw new SqlUnreadableException("SET (…) lists something that is not a column");
                    columns.Add(name[name.Count - 1]);
                }

                eq = _close[eq] + 1;
            }
            else
            {
                while (eq < part.End && !_t[eq].IsSymbol('='))
                {
                    eq++;
                }

                var name = DottedName(new SqlRange(part.Start, eq)) ?? throw new SqlUnreadableException($"SET {Found(part.Start, part.End)}: expected 'column = value'");
                columns.Add(name[name.Count - 1]);
            }

            if (!IsSymbol(eq, part.End, '=') || eq + 1 >= part.End)
            {
                throw new SqlUnreadableException("SET: expected 'column = value'");
            }

            var value = new SqlRange(eq + 1, part.End);
            Scan(value.Start, value.End, subqueries);
            assignments.Add(new SqlAssignment(columns, value));
        }
    }

    private SqlStatement Insert(int start, int end)
    {
        var statement = new SqlStatement(SqlStatementKind.Insert, this);
        int i = start + 1;
        if (_t[start].IsWord("REPLACE"))
        {
            statement.Replace = "REPLACE INTO";
        }
        else if (Is(i, end, "OR"))
        {
            if (Is(i + 1, end, "REPLACE"))
            {
                statement.Replace = "INSERT OR REPLACE";
            }

            i += 2;
        }

        Expect(i, end, "INTO", "INSERT");
        i++;
        var target = Target(ref i, end, bareAlias: false);
        statement.Target = target;
        if (IsSymbol(i, end, '('))
        {
            statement.Columns = new List<SqlToken>();
            foreach (var column in Split(i + 1, _close[i]))
            {
                if (column.End - column.Start != 1 || !_t[column.Start].IsName)
                {
                    throw new SqlUnreadableException("the INSERT column list holds something that is not a column name");
                }

                statement.Columns.Add(_t[column.Start]);
            }

            i = _close[i] + 1;
        }

        if (Is(i, end, "DEFAULT") && Is(i + 1, end, "VALUES"))
        {
            statement.DefaultValues = true;
            i += 2;
        }
        else if (Is(i, end, "VALUES"))
        {
            var (rows, next) = Rows(i + 1, end, statement.Subqueries);
            statement.Rows = rows;
            i = next;
        }
        else if (Is(i, end, "SELECT") || Is(i, end, "WITH") || IsSymbol(i, end, '('))
        {
            int stop = i;
            while (stop < end && !IsConflict(stop, end) && !_t[stop].IsWord("RETURNING"))
            {
                stop = Next(stop);
            }

            statement.Query = Query(i, stop);
            i = stop;
        }
        else
        {
            throw new SqlUnreadableException($"INSERT INTO {target.Display}: expected VALUES or SELECT but found {Found(i, end)}");
        }

        while (IsConflict(i, end))
        {
            i = Upsert(i + 2, end, statement);
        }

        if (Is(i, end, "RETURNING"))
        {
            Scan(i + 1, end, statement.Subqueries);
            i = end;
        }

        if (i < end)
        {
            throw new SqlUnreadableException($"{Found(i, end)} after INSERT INTO {target.Display} (…)");
        }

        return statement;
    }

    /// <summary>After ON CONFLICT: [(target) [WHERE …] | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET … [WHERE …].</summary>
    private int Upsert(int i, int end, SqlStatement statement)
    {
        var target = SqlRange.None;
        bool constraint = false;
        if (IsSymbol(i, end, '('))
        {
            target = new SqlRange(i + 1, _close[i]);
            Scan(target.Start, target.End, statement.Subqueries);
            i = _close[i] + 1;
            if (Is(i, end, "WHERE"))
            {
                int predicate = i + 1;
                while (i < end && !_t[i].IsWord("DO"))
                {
                    i = Next(i);
                }

                Scan(predicate, i, statement.Subqueries);
            }
        }
        else if (Is(i, end, "ON") && Is(i + 1, end, "CONSTRAINT"))
        {
            constraint = true;
            i += 3;
        }

        Expect(i, end, "DO", "ON CONFLICT");
        if (Is(i + 1, end, "NOTHING"))
        {
            statement.Upserts.Add(new SqlUpsert { Target = target, OnConstraint = constraint });
            return i + 2;
        }

        Expect(i + 1, end, "UPDATE", "ON CONFLICT DO");
        Expect(i + 2, end, "SET", "ON CONFLICT DO UPDATE");
        int set = i + 3;
        int stop = set;
        while (stop < end && !IsConflict(stop, end) && !_t[stop].IsWord("RETURNING") && !_t[stop].IsWord("WHERE"))
        {
            stop = Next(stop);
        }

        var assignments = new List<SqlAssignment>();
        Assignments(set, stop, assignments, statement.Subqueries);
        var where = SqlRange.None;
        if (Is(stop, end, "WHERE"))
        {
            int whereEnd = stop + 1;
            while (whereEnd < end && !IsConflict(whereEnd, end) && !_t[whereEnd].IsWord("RETURNING"))
            {
                whereEnd = Next(whereEnd);
            }

            where = new SqlRange(stop + 1, whereEnd);
            Scan(stop + 1, whereEnd, statement.Subqueries);
            stop = whereEnd;
        }

        statement.Upserts.Add(new SqlUpsert { Target = target, OnConstraint = constraint, DoUpdate = true, Set = assignments, Where = where });
        return stop;
    }

    /// <summary>Collects the queries nested in an expression; refuses the ways an expression can read a table without one.</summary>
    private void Scan(int start, int end, List<SqlQuery> subqueries, bool position = false)
    {
        for (int i = start; i < end; i++)
        {
            var token = _t[i];
            if (token.IsSymbol('('))
            {
                int close = _close[i];
                if (IsQueryGroup(i + 1, close))
                {
                    subqueries.Add(Query(i + 1, close));
                }
                else
                {
                    Scan(i + 1, close, subqueries, position: i > start && _t[i - 1].IsWord("POSITION"));
                }

                i = close;
            }
            else if (token.IsName)
            {
                if (token.IsWord("IN") && !IsSymbol(i + 1, end, '(') && !position)
                {
                    throw new SqlUnreadableException("IN followed by a table name (SQLite's 'x IN table'); write IN (SELECT … FROM table WHERE …)");
                }

                if (token.IsWord("SELECT") || token.IsWord("TABLE") || token.IsWord("UNION") || token.IsWord("EXCEPT") || token.IsWord("INTERSECT"))
                {
                    throw new SqlUnreadableException($"'{token}' outside parentheses inside an expression");
                }

                if (IsSymbol(i + 1, end, '(') && !SqlFunctions.IsKeyword(token))
                {
                    Called(i, start);
                }
            }
        }
    }

    /// <summary>
    /// The name at <paramref name="at"/>, followed by '(', either names a type with a modifier (after
    /// <c>::</c> or CAST's <c>AS</c>) or calls a function, which must be one the statement may call.
    /// </summary>
    private void Called(int at, int start)
    {
        int first = at;
        while (first - 2 >= start && _t[first - 1].IsSymbol('.') && _t[first - 2].IsName)
        {
            first -= 2;
        }

        int before = first - 1;
        if (before >= start && SqlFunctions.IsTypePrefix(_t[before]) && first == at)
        {
            before--;
        }

        bool type = before >= start && (_t[before].IsWord("AS") || (_t[before].IsSymbol(':') && before - 1 >= start && _t[before - 1].IsSymbol(':')));
        if (!type)
        {
            var name = new List<SqlToken>();
            for (int i = first; i <= at; i += 2)
            {
                name.Add(_t[i]);
            }

            CheckFunction(name);
        }
    }

    private void CheckFunction(List<SqlToken> name)
    {
        if (_functions.Refusal(name) is { } refusal)
        {
            throw new SqlUnreadableException(refusal);
        }
    }

    /// <summary>Whether the parenthesised tokens [start, end) are a query (a SELECT, or parenthesised SELECTs joined by UNION …).</summary>
    private bool IsQueryGroup(int start, int end)
    {
        if (Is(start, end, "SELECT") || Is(start, end, "WITH") || Is(start, end, "VALUES") || Is(start, end, "TABLE"))
        {
            return true;
        }

        if (!IsSymbol(start, end, '('))
        {
            return false;
        }

        for (int i = start; i < end; i = Next(i))
        {
            if (_t[i].IsWord("UNION") || _t[i].IsWord("EXCEPT") || _t[i].IsWord("INTERSECT"))
            {
                return true;
            }
        }

        return IsQueryGroup(start + 1, _close[start]) && _close[start] == end - 1;
    }
}
