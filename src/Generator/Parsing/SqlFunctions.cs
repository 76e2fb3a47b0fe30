using System;
using System.Collections.Generic;

namespace Rampart.Generator.Parsing;

/// <summary>
/// The functions an owner-scoped statement may call (RAMP0048). A function can read rows the owner filter
/// does not restrict — PostgreSQL's <c>query_to_xml</c> and <c>ts_stat</c> run SQL given as text — so only
/// functions known to compute their result from their arguments are allowed: the built-in aggregates, window,
/// string, number, date, JSON, array and full-text functions of SQLite and PostgreSQL listed here, and the
/// names a store declares in <c>[OwnerScoped(AllowedFunctions = …)]</c>. Functions that run SQL text or read
/// a table by name are refused even when declared.
/// <para>
/// Names are compared the way the databases resolve them: an unquoted name in any ASCII case (PostgreSQL
/// folds it to lower case, SQLite ignores case); a quoted name only when spelled exactly as the function is
/// (PostgreSQL keeps its case); without a schema, or with PostgreSQL's <c>pg_catalog</c> for a built-in.
/// </para>
/// </summary>
internal sealed class SqlFunctions
{
    public static readonly SqlFunctions BuiltIn = new(Array.Empty<string>());

    // Only functions whose result depends on their arguments (and the current row, time or randomness):
    // none reads a table, a file, a setting, another database, or runs SQL text.
    private static readonly HashSet<string> Safe = new(StringComparer.Ordinal)
    {
        // Aggregates.
        "count", "sum", "avg", "min", "max", "total", "group_concat", "string_agg", "array_agg", "json_agg", "jsonb_agg",
        "json_object_agg", "jsonb_object_agg", "json_group_array", "json_group_object", "bool_and", "bool_or", "every",
        "bit_and", "bit_or", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "percentile_cont",
        "percentile_disc", "mode",

        // Window functions.
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",

        // Conditional expressions and the SQL-standard forms written like calls.
        "coalesce", "nullif", "greatest", "least", "ifnull", "iif", "cast", "extract", "position", "substring", "trim",
        "overlay",

        // Strings.
        "lower", "upper", "length", "char_length", "character_length", "octet_length", "bit_length", "substr", "ltrim",
        "rtrim", "btrim", "replace", "translate", "concat", "concat_ws", "left", "right", "lpad", "rpad", "repeat",
        "reverse", "initcap", "strpos", "instr", "split_part", "starts_with", "format", "printf", "quote_ident",
        "quote_literal", "quote_nullable", "quote", "md5", "sha224", "sha256", "sha384", "sha512", "encode", "decode",
        "hex", "unhex", "unicode", "char", "chr", "ascii", "to_hex", "like", "glob", "regexp_replace", "regexp_match",
        "regexp_matches", "regexp_like", "regexp_count", "regexp_instr", "regexp_substr", "regexp_split_to_array",
        "regexp_split_to_table", "string_to_array", "string_to_table", "array_to_string", "typeof", "likelihood",
        "likely", "unlikely", "zeroblob",

        // Numbers and random values.
        "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "div", "power", "pow", "sqrt", "cbrt", "exp", "ln",
        "log", "log10", "log2", "sign", "pi", "degrees", "radians", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
        "gcd", "lcm", "width_bucket", "random", "randomblob", "gen_random_uuid",

        // Dates and times.
        "now", "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "date_trunc", "date_part",
        "date_bin", "age", "make_date", "make_time", "make_timestamp", "make_timestamptz", "make_interval", "to_char",
        "to_date", "to_timestamp", "to_number", "clock_timestamp", "statement_timestamp", "transaction_timestamp",
        "timezone", "isfinite", "justify_days", "justify_hours", "justify_interval",

        // JSON (SQLite).
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_extract", "jsonb_extract", "json_insert",
        "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch", "json_remove", "jsonb_remove",
        "json_replace", "jsonb_replace", "json_set", "jsonb_set", "json_type", "json_valid", "json_quote", "json_each",
        "json_tree", "json_error_position", "json_pretty",

        // JSON (PostgreSQL).
        "to_json", "to_jsonb", "row_to_json", "array_to_json", "json_build_array", "jsonb_build_array",
        "json_build_object", "jsonb_build_object", "json_array_elements", "jsonb_array_elements",
        "json_array_elements_text", "jsonb_array_elements_text", "json_each_text", "jsonb_each", "jsonb_each_text",
        "json_extract_path", "jsonb_extract_path", "json_extract_path_text", "jsonb_extract_path_text",
        "json_object_keys", "jsonb_object_keys", "json_typeof", "jsonb_typeof", "jsonb_array_length",
        "json_strip_nulls", "jsonb_strip_nulls", "jsonb_pretty", "jsonb_set_lax", "jsonb_path_exists",
        "jsonb_path_match", "jsonb_path_query", "jsonb_path_query_array", "jsonb_path_query_first",

        // Arrays and series.
        "array_length", "array_append", "array_prepend", "array_cat", "array_position", "array_positions",
        "array_remove", "array_replace", "array_lower", "array_upper", "array_ndims", "array_dims", "array_fill",
        "cardinality", "unnest", "generate_series", "generate_subscripts",

        // Full-text search on the row's own values (not ts_stat or ts_rewrite, which run a query given as text).
        "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "ts_rank",
        "ts_rank_cd", "ts_headline", "setweight", "strip", "numnode", "querytree", "tsvector_to_array",
        "array_to_tsvector", "ts_delete", "ts_filter", "bm25", "highlight", "snippet",
    };

    // Words that are followed by '(' without calling a function (EXISTS (…), x IN (…), OVER (…), CAST's AS …).
    private static readonly HashSet<string> Keywords = new(AsciiIgnoreCase.Instance)
    {
        "ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "BETWEEN", "BY", "CASE", "COLLATE", "CONFLICT", "CURRENT", "DESC",
        "DISTINCT", "DO", "ELSE", "ESCAPE", "EXCEPT", "EXCLUDE", "EXISTS", "FETCH", "FILTER", "FIRST", "FOLLOWING",
        "FOR", "FROM", "GLOB", "GROUP", "GROUPS", "HAVING", "ILIKE", "IN", "INTERSECT", "INTERVAL", "INTO", "IS",
        "LAST", "LATERAL", "LIKE", "LIMIT", "MATCH", "MATERIALIZED", "NEXT", "NOT", "NULLS", "OFFSET", "ON", "ONLY",
        "OR", "ORDER", "OVER", "PARTITION", "PRECEDING", "RANGE", "RECURSIVE", "REGEXP", "RETURNING", "ROW", "ROWS",
        "SELECT", "SET", "SIMILAR", "SOME", "TABLE", "THEN", "TO", "UNBOUNDED", "UNION", "UPDATE", "USING", "VALUES",
        "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN",
    };

    // Words before a type name with a modifier: CAST(x AS character varying(10)), x::bit varying(5).
    private static readonly HashSet<string> TypePrefixes = new(AsciiIgnoreCase.Instance) { "character", "char", "bit", "national", "nchar" };

    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);

    /// <param name="declared">Names from <c>[OwnerScoped(AllowedFunctions = …)]</c>: <c>name</c> or <c>schema.name</c>.</param>
    public SqlFunctions(IEnumerable<string> declared)
    {
        foreach (string name in declared)
        {
            _declared.Add(SqlToken.AsciiLower(name.Trim()));
        }
    }

    /// <summary>Whether the unquoted word before a '(' is SQL syntax rather than a function name.</summary>
    public static bool IsKeyword(SqlToken token) => token.Kind == SqlTokenKind.Word && Keywords.Contains(token.Value);

    /// <summary>Whether the word is the first part of a multi-word type name (<c>character varying</c>).</summary>
    public static bool IsTypePrefix(SqlToken token) => token.Kind == SqlTokenKind.Word && TypePrefixes.Contains(token.Value);

    /// <summary>
    /// Null when a statement may call the function named <paramref name="name"/> (its dotted parts, as
    /// written); otherwise why not, for the message.
    /// </summary>
    public string? Refusal(IReadOnlyList<SqlToken> name)
    {
        var last = name[name.Count - 1];
        string display = string.Join(".", ToStrings(name));
        if (RunsSqlText(SqlToken.AsciiLower(last.Value)))
        {
            return $"the function {display}(), which runs SQL given as text or reads a table given by name";
        }

        var parts = new string[name.Count];
        for (int i = 0; i < name.Count; i++)
        {
            // PostgreSQL resolves a quoted name exactly and an unquoted one folded; the lists are lower case,
            // so a quoted name matches only when SQLite (which ignores case) resolves it to the same function.
            parts[i] = name[i].Folded;
        }

        string key = string.Join(".", parts);
        bool builtIn = Safe.Contains(parts[parts.Length - 1]) && (parts.Length == 1 || (parts.Length == 2 && parts[0] == "pg_catalog"));
        if (builtIn || _declared.Contains(key))
        {
            return null;
        }

        return $"the function {display}(), which is not one Rampart knows reads nothing but its arguments (a function can read other owners' rows: PostgreSQL's query_to_xml and ts_stat run SQL given as text); "
            + $"if it reads no table and runs no SQL, declare it in [OwnerScoped(AllowedFunctions = new[] {{ \"{key}\" }})]";
    }

    /// <summary>PostgreSQL functions that run SQL given as text or read a whole table given by name, and SQLite's eval and extension loading.</summary>
    private static bool RunsSqlText(string n) =>
        n.StartsWith("query_to_", StringComparison.Ordinal) || n.StartsWith("table_to_", StringComparison.Ordinal)
        || n.StartsWith("cursor_to_", StringComparison.Ordinal) || n.StartsWith("schema_to_", StringComparison.Ordinal)
        || n.StartsWith("database_to_", StringComparison.Ordinal) || n.StartsWith("dblink", StringComparison.Ordinal)
        || n is "ts_stat" or "ts_rewrite" or "eval" or "load_extension";

    private static IEnumerable<string> ToStrings(IReadOnlyList<SqlToken> name)
    {
        foreach (var part in name)
        {
            yield return part.ToString();
        }
    }
}
