using System;
using System.Collections.Generic;

namespace Rampart.Generator.Parsing;

/// <summary>
/// The compile-time owner check of an <c>[OwnerScoped]</c> statement (RAMP0048). It proves, from the
/// statement read by <see cref="SqlReader"/>, that every row the statement reads or writes belongs to the
/// caller:
/// <list type="bullet">
/// <item>every reference to a table — in every FROM/JOIN, UNION/EXCEPT/INTERSECT branch, sub-query and WITH
/// query — carries <c>ref.owner_id = @owner</c> as a top-level AND term of its own level's WHERE (or of the
/// ON of its join, where that restricts it), unless it names a WITH query or a table declared in
/// <c>SharedTables</c>; an unqualified <c>owner_id</c> counts only for the single table of an outermost level;</item>
/// <item>INSERT puts <c>@owner</c> in the owner column of every row (VALUES or SELECT); UPDATE and
/// <c>ON CONFLICT … DO UPDATE</c> never set the owner column to anything else, and the conflict update is
/// restricted to the caller's row (WHERE on the existing row, or a conflict target that includes the owner
/// column); REPLACE, whose conflict handling deletes whoever's row is in the way, is refused;</item>
/// <item>every function it calls is one <see cref="SqlFunctions"/> allows (a function can read rows itself).</item>
/// </list>
/// SQL the reader cannot read is refused with what it met: on an owner-scoped store that is an error, never a pass.
/// </summary>
internal static class OwnerScopeCheck
{
    private const string Unreadable = "its SQL cannot be checked: ";
    private const string Hint = ". Owner-scoped SQL is accepted only when the check reads all of it; see RAMP0048 in docs/diagnostics.md for what it reads";

    /// <summary>
    /// Null when <paramref name="text"/> is proven to touch only the caller's rows; otherwise the rest of
    /// the RAMP0048 message ("'Store.Method' is owner-scoped but …").
    /// </summary>
    /// <param name="column">The owner column.</param>
    /// <param name="owners">The method's <c>OwnerId</c> parameters (at least one).</param>
    /// <param name="shared">Tables declared to hold no per-owner rows (<c>name</c> or <c>schema.name</c>).</param>
    /// <param name="functions">Functions declared safe besides the built-in ones (<see cref="SqlFunctions"/>).</param>
    public static string? Explain(SqlText text, string column, IReadOnlyList<string> owners, IReadOnlyList<string> shared, IReadOnlyList<string>? functions = null)
    {
        SqlStatement statement;
        try
        {
            statement = SqlReader.Read(text.Tokens, functions is null ? SqlFunctions.BuiltIn : new SqlFunctions(functions));
        }
        catch (SqlUnreadableException e)
        {
            return Unreadable + e.Message + Hint;
        }

        var walker = new Walker(statement.Reader, column, owners, shared);
        try
        {
            walker.Statement(statement);
            return walker.Proven > 0 ? null
                : $"its SQL reads no owner-scoped table, so '@{owners[0]}' restricts nothing; compare '{column}' to it (a store of shared tables need not be owner-scoped)";
        }
        catch (SqlUnreadableException e)
        {
            return Unreadable + e.Message + Hint;
        }
        catch (Problem p)
        {
            return p.Message;
        }
    }

    /// <summary>A proven violation: the message says what and how to fix it.</summary>
    private sealed class Problem : Exception
    {
        public Problem(string message)
            : base(message)
        {
        }
    }

    /// <summary>WITH query names visible at one level.</summary>
    private sealed class Scope
    {
        private readonly Scope? _parent;
        private readonly List<string> _names = new();

        public Scope(Scope? parent) => _parent = parent;

        public void Add(SqlToken name) => _names.Add(name.Folded);

        public bool Contains(SqlToken name) => _names.Contains(name.Folded) || (_parent?.Contains(name) ?? false);
    }

    private sealed class Walker
    {
        private readonly SqlReader _r;
        private readonly string _column;
        private readonly IReadOnlyList<string> _owners;
        private readonly List<string[]> _shared;

        public Walker(SqlReader reader, string column, IReadOnlyList<string> owners, IReadOnlyList<string> shared)
        {
            _r = reader;
            _column = column;
            _owners = owners;
            _shared = new List<string[]>(shared.Count);
            foreach (string name in shared)
            {
                _shared.Add(SqlToken.AsciiLower(name.Trim()).Split('.'));
            }
        }

        /// <summary>How many table references were proven filtered (or, for INSERT, the target proven owned).</summary>
        public int Proven { get; private set; }

        private string Owner => "@" + _owners[0];

        public void Statement(SqlStatement statement)
        {
            var scope = new Scope(null);
            if (statement.With is not null)
            {
                With(statement.With, scope, nested: false);
            }

            if (statement.Replace is not null)
            {
                throw new Problem($"it uses {statement.Replace}, which on SQLite deletes the row it conflicts with, whoever owns it; use INSERT … ON CONFLICT (…) DO UPDATE SET … WHERE {statement.Target!.Display}.{_column} = {Owner}");
            }

            switch (statement.Kind)
            {
                case SqlStatementKind.Query:
                    Query(statement.Query!, scope, nested: false);
                    break;
                case SqlStatementKind.Insert:
                    Insert(statement, scope);
                    break;
                default:
                    Written(statement.Target!, scope);
                    Assignments(statement.Set, statement.Kind == SqlStatementKind.Update ? "UPDATE" : "DELETE");
                    Block(statement.Block!, scope, nested: false, target: statement.Target);
                    break;
            }

            foreach (var query in statement.Subqueries)
            {
                Query(query, scope, nested: true);
            }
        }

        private void With(SqlWith with, Scope scope, bool nested)
        {
            // A WITH query sees the ones before it; a RECURSIVE one sees all of them, itself included.
            if (with.Recursive)
            {
                foreach (var (name, _) in with.Queries)
                {
                    scope.Add(name);
                }
            }

            foreach (var (name, body) in with.Queries)
            {
                Query(body, scope, nested);
                scope.Add(name);
            }
        }

        private void Query(SqlQuery query, Scope outer, bool nested)
        {
            var scope = outer;
            if (query.With is not null)
            {
                scope = new Scope(outer);
                With(query.With, scope, nested);
            }

            foreach (var branch in query.Branches)
            {
                if (branch.Select is not null)
                {
                    Block(branch.Select, scope, nested, target: null);
                }
                else if (branch.Nested is not null)
                {
                    Query(branch.Nested, scope, nested);
                }

                foreach (var sub in branch.Subqueries)
                {
                    Query(sub, scope, nested: true);
                }
            }
        }

        /// <summary>
        /// One level: each table it reads must be proven filtered by WHERE or by the ON of its join; its
        /// derived tables, table-function arguments and expression sub-queries are checked at their own level.
        /// </summary>
        private void Block(SqlBlock block, Scope scope, bool nested, SqlSource? target)
        {
            var sources = block.Sources;
            for (int i = 0; i < sources.Count; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (sources[i].Exposed is { } a && sources[j].Exposed is { } b && string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new SqlUnreadableException($"two FROM items named '{a.Value}'; give each its own alias");
                    }
                }
            }

            var proven = new bool[sources.Count];
            bool unqualified = false;
            var where = _r.Conjuncts(block.Where, out bool whereHasOr);
            if (!whereHasOr)
            {
                foreach (var term in where)
                {
                    unqualified |= Mark(term, sources, proven, nested, allowed: null);
                }
            }

            for (int k = 1; k < sources.Count; k++)
            {
                var on = _r.Conjuncts(sources[k].On, out bool onHasOr);
                if (onHasOr)
                {
                    continue;
                }

                // Which sides an ON term restricts: an inner join both, a LEFT join its right side, a RIGHT
                // join its left side; a FULL join neither.
                int joined = k;
                Func<int, bool> allowed = sources[k].Join switch
                {
                    SqlJoin.Inner => x => x <= joined,
                    SqlJoin.Left => x => x == joined,
                    SqlJoin.Right => x => x < joined,
                    _ => _ => false,
                };
                foreach (var term in on)
                {
                    Mark(term, sources, proven, nested, allowed);
                }
            }

            for (int i = 0; i < sources.Count; i++)
            {
                var source = sources[i];
                if (source.Kind == SqlSourceKind.Derived)
                {
                    Query(source.Query!, scope, nested || source.Lateral);
                    continue;
                }

                foreach (var sub in source.Subqueries)
                {
                    Query(sub, scope, nested: true);
                }

                if (!NeedsFilter(source, scope))
                {
                    continue;
                }

                if (!proven[i])
                {
                    throw new Problem(Unfiltered(source, i, source == target, whereHasOr, unqualified, nested, sources.Count));
                }

                Proven++;
            }

            foreach (var sub in block.Subqueries)
            {
                Query(sub, scope, nested: true);
            }
        }

        private bool NeedsFilter(SqlSource source, Scope scope)
        {
            if (source.Name.Count == 1 && source.Kind == SqlSourceKind.Table && scope.Contains(source.Name[0]))
            {
                return false;
            }

            foreach (string[] shared in _shared)
            {
                if (shared.Length == source.Name.Count && Matches(source.Name, shared))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Matches(List<SqlToken> name, string[] parts)
        {
            for (int i = 0; i < parts.Length; i++)
            {
                if (name[i].Folded != parts[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Marks the source <paramref name="term"/> proves filtered when it is <c>ref.owner = @owner</c>.
        /// Returns true when the term is an owner comparison without a usable qualifier (for the message).
        /// </summary>
        private bool Mark(SqlRange term, List<SqlSource> sources, bool[] proven, bool nested, Func<int, bool>? allowed)
        {
            var qualifier = OwnerComparison(term);
            if (qualifier is null)
            {
                return false;
            }

            int index = Resolve(qualifier, sources, nested);
            if (index >= 0 && (allowed is null || allowed(index)))
            {
                proven[index] = true;
            }

            return qualifier.Count == 0 && index < 0;
        }

        /// <summary>The source a column qualifier names at this level, or -1.</summary>
        private static int Resolve(List<SqlToken> qualifier, List<SqlSource> sources, bool nested)
        {
            if (qualifier.Count == 0)
            {
                // An unqualified column belongs to the only source of an outermost level; inside a sub-query
                // it can resolve to an outer query's table instead.
                return sources.Count == 1 && !nested ? 0 : -1;
            }

            int found = -1;
            for (int i = 0; i < sources.Count; i++)
            {
                var s = sources[i];
                bool match = qualifier.Count == 1
                    ? s.Exposed is { } exposed && exposed.Folded == qualifier[0].Folded
                    : s.Alias is null && s.Name.Count == qualifier.Count && Same(s.Name, qualifier);
                if (match)
                {
                    if (found >= 0)
                    {
                        return -1;
                    }

                    found = i;
                }
            }

            return found;
        }

        private static bool Same(List<SqlToken> a, List<SqlToken> b)
        {
            for (int i = 0; i < a.Count; i++)
            {
                if (a[i].Folded != b[i].Folded)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The qualifier of <paramref name="term"/> when it is exactly <c>[q.]owner_column = @owner</c> (either
        /// way round), or null. Anything else in the term (COLLATE, a cast, NOT, a function) is not a proof.
        /// </summary>
        private List<SqlToken>? OwnerComparison(SqlRange term)
        {
            var t = _r.Unwrap(term);
            for (int eq = t.Start + 1; eq < t.End - 1; eq++)
            {
                if (!_r[eq].IsSymbol('='))
                {
                    continue;
                }

                var left = new SqlRange(t.Start, eq);
                var right = new SqlRange(eq + 1, t.End);
                var column = IsOwnerParameter(right) ? _r.DottedName(left) : IsOwnerParameter(left) ? _r.DottedName(right) : null;
                if (column is not null && IsOwnerColumn(column[column.Count - 1]))
                {
                    column.RemoveAt(column.Count - 1);
                    return column;
                }

                return null;
            }

            return null;
        }

        private bool IsOwnerParameter(SqlRange range)
        {
            if (range.End - range.Start != 1 || _r[range.Start].Kind != SqlTokenKind.Parameter)
            {
                return false;
            }

            foreach (string owner in _owners)
            {
                if (string.Equals(_r[range.Start].Value, owner, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The owner column as a filter: unquoted in any case, quoted exactly as configured.</summary>
        private bool IsOwnerColumn(SqlToken token) =>
            token.Kind == SqlTokenKind.Word ? SqlToken.AsciiEquals(token.Value, _column) : string.Equals(token.Value, _column, StringComparison.Ordinal);

        /// <summary>A column that may be the owner column on either database (any case, any quoting).</summary>
        private bool MayBeOwnerColumn(SqlToken token) => string.Equals(token.Value, _column, StringComparison.OrdinalIgnoreCase);

        private string Unfiltered(SqlSource source, int index, bool isTarget, bool whereHasOr, bool unqualified, bool nested, int sourceCount)
        {
            string name = source.Display + (source.Alias is { } alias ? " " + alias : string.Empty);
            string reference = (source.Exposed?.ToString() ?? source.Display) + "." + _column + " = " + Owner;
            string what = isTarget ? $"it changes rows of '{name}'" : $"it reads '{name}'";
            string why = whereHasOr
                ? $"its WHERE has a top-level OR, which can bypass '{reference}'; put the alternatives in parentheses"
                : unqualified && (nested || sourceCount > 1)
                    ? $"'{_column} = {Owner}' does not say which table it filters{(nested ? " (in a sub-query an unqualified column can belong to an outer query)" : string.Empty)}; write '{reference}'"
                    : $"nothing requires '{reference}': add it to the WHERE{(source.Join is SqlJoin.Inner or SqlJoin.Left ? " or to the ON of its JOIN" : string.Empty)}, ANDed at the top level (a term under OR or NOT does not count)";

            // A joined table may be a lookup table; the statement's own table is not one to declare shared.
            string last = source.Name[source.Name.Count - 1].Value;
            string shared = index > 0 && !isTarget
                ? $"; if '{last}' holds no per-owner rows (a lookup table), declare it in [OwnerScoped(SharedTables = new[] {{ \"{last}\" }})]"
                : string.Empty;
            return $"{what} without the owner filter: {why}{shared}";
        }

        /// <summary>The table INSERT, UPDATE or DELETE writes must be an owner-scoped table.</summary>
        private void Written(SqlSource target, Scope scope)
        {
            if (target.Name.Count == 1 && scope.Contains(target.Name[0]))
            {
                throw new SqlUnreadableException($"a write to the WITH query '{target.Name[0]}'");
            }

            if (!NeedsFilter(target, scope))
            {
                throw new Problem($"it writes to '{target.Display}', which [OwnerScoped(SharedTables = …)] declares shared; write shared tables from a store that is not owner-scoped");
            }
        }

        /// <summary>SET never gives the owner column another value than the caller's.</summary>
        private void Assignments(List<SqlAssignment> set, string statement)
        {
            foreach (var assignment in set)
            {
                foreach (var column in assignment.Columns)
                {
                    if (MayBeOwnerColumn(column) && (assignment.Columns.Count != 1 || !IsOwnerParameter(assignment.Value)))
                    {
                        throw new Problem($"its {statement} sets '{_column}' to something other than '{Owner}': ownership never moves");
                    }
                }
            }
        }

        private void Insert(SqlStatement statement, Scope scope)
        {
            var target = statement.Target!;
            Written(target, scope);
            string fix = $"(use INSERT INTO {target.Display} (…, {_column}) VALUES (…, {Owner}) or … SELECT …, {Owner}, … FROM …)";
            // Exactly one column may be the owner column on either database, and it is that column here.
            var columns = statement.Columns ?? new List<SqlToken>();
            int index = -1;
            int named = 0;
            for (int i = 0; i < columns.Count; i++)
            {
                if (MayBeOwnerColumn(columns[i]))
                {
                    named++;
                    index = IsOwnerColumn(columns[i]) ? i : index;
                }
            }

            if (index < 0 || named != 1 || statement.DefaultValues)
            {
                throw new Problem($"its INSERT does not put '{Owner}' in the '{_column}' column {fix}");
            }

            foreach (var row in statement.Rows ?? new List<List<SqlRange>>())
            {
                if (row.Count != columns.Count || !IsOwnerParameter(row[index]))
                {
                    throw new Problem($"its INSERT does not put '{Owner}' in the '{_column}' column of every row {fix}");
                }
            }

            if (statement.Query is { } query)
            {
                InsertedOwner(query, index, fix);
                Query(query, scope, nested: false);
            }

            Proven++;
            foreach (var upsert in statement.Upserts)
            {
                if (!upsert.DoUpdate)
                {
                    continue;
                }

                Assignments(upsert.Set, "ON CONFLICT … DO UPDATE");
                if (!RestrictsConflict(upsert, target))
                {
                    throw new Problem($"its ON CONFLICT … DO UPDATE can change a row another owner holds (the conflicting row is anyone's): add 'WHERE {target.Exposed}.{_column} = {Owner}' to the DO UPDATE, or make the conflict target include {_column}");
                }
            }
        }

        /// <summary>Every branch of INSERT … SELECT selects <c>@owner</c> for the owner column.</summary>
        private void InsertedOwner(SqlQuery query, int index, string fix)
        {
            foreach (var branch in query.Branches)
            {
                var cells = branch.Select?.Results;
                var rows = branch.Values ?? (cells is null ? null : new List<List<SqlRange>> { cells });
                if (rows is null)
                {
                    throw new SqlUnreadableException("a parenthesised query in INSERT … SELECT");
                }

                foreach (var row in rows)
                {
                    if (index >= row.Count || !IsOwnerParameter(row[index]))
                    {
                        throw new Problem($"its INSERT … SELECT does not select '{Owner}' for the '{_column}' column {fix}");
                    }
                }
            }
        }

        /// <summary>
        /// The DO UPDATE touches only the caller's row: its WHERE requires the existing row's owner column
        /// (<c>target.owner = @owner</c>, or <c>= excluded.owner</c>, which is <c>@owner</c> as the INSERT
        /// proves), or the conflict target includes the owner column, so a conflicting row has the caller's id.
        /// </summary>
        private bool RestrictsConflict(SqlUpsert upsert, SqlSource target)
        {
            if (!upsert.OnConstraint && !upsert.Target.IsEmpty)
            {
                foreach (var item in _r.Items(upsert.Target))
                {
                    if (item.End - item.Start == 1 && IsOwnerColumn(_r[item.Start]))
                    {
                        return true;
                    }
                }
            }

            var terms = _r.Conjuncts(upsert.Where, out bool hasOr);
            if (hasOr)
            {
                return false;
            }

            var sources = new List<SqlSource> { target };
            foreach (var term in terms)
            {
                if (OwnerComparison(term) is { } qualifier && Resolve(qualifier, sources, nested: false) == 0)
                {
                    return true;
                }

                if (ExcludedComparison(term, target))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>target.owner = excluded.owner</c> (either way round).</summary>
        private bool ExcludedComparison(SqlRange term, SqlSource target)
        {
            var t = _r.Unwrap(term);
            for (int eq = t.Start + 1; eq < t.End - 1; eq++)
            {
                if (_r[eq].IsSymbol('='))
                {
                    var left = _r.DottedName(new SqlRange(t.Start, eq));
                    var right = _r.DottedName(new SqlRange(eq + 1, t.End));
                    return left is not null && right is not null
                        && ((IsExcludedOwner(right) && IsTargetOwner(left, target)) || (IsExcludedOwner(left) && IsTargetOwner(right, target)));
                }
            }

            return false;
        }

        private bool IsExcludedOwner(List<SqlToken> name) => name.Count == 2 && name[0].Folded == "excluded" && IsOwnerColumn(name[1]);

        private bool IsTargetOwner(List<SqlToken> name, SqlSource target) =>
            IsOwnerColumn(name[name.Count - 1]) && Resolve(name.GetRange(0, name.Count - 1), new List<SqlSource> { target }, nested: false) == 0;
    }
}
