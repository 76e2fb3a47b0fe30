using System;
using Rampart.Generator.Parsing;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>
/// RAMP0048's check from the attacker's side, statement by statement: each shape that tries to read or
/// take over another owner's rows is refused with the reason (or as unreadable), and each legitimate
/// neighbour is accepted. The store-level cases (DiagnosticCases, RAMP0048_*) compile the same shapes.
/// </summary>
public sealed class OwnerScopeCheckTests
{
    private static readonly string[] Shared = { "categories", "public.regions", "json_each" };

    // Functions a store declares in [OwnerScoped(AllowedFunctions = …)].
    private static readonly string[] Functions = { "similarity", "geo.distance", "query_to_xml" };

    private static string? Check(string sql, string column = "owner_id") =>
        OwnerScopeCheck.Explain(SqlText.Read(sql), column, new[] { "owner", "caller" }, Shared, Functions);

    public static TheoryData<string, string> Refused => new()
    {
        // Joins: every reference to a table carries its own filter.
        { "SELECT o.id FROM items o JOIN items m ON m.id = @mine WHERE m.owner_id = @owner AND o.id = @id", "reads 'items o'" },
        { "SELECT o.id FROM items o, items m WHERE m.owner_id = @owner AND o.id = @id", "reads 'items o'" },
        { "SELECT o.id FROM \"items\" o, [items] m WHERE m.owner_id = @owner", "reads '\"items\" o'" },
        { "SELECT o.id FROM `items` o, main.items m WHERE m.owner_id = @owner", "reads '\"items\" o'" },
        { "SELECT o.id FROM public.items o JOIN items m ON m.owner_id = @owner WHERE o.id = @id", "reads 'public.items o'" },
        { "SELECT i.id FROM items i JOIN tags t ON t.item_id = i.id WHERE t.owner_id = @owner", "reads 'items i'" },
        { "SELECT i.id FROM items i JOIN tags t ON t.item_id = i.id WHERE i.owner_id = @owner", "reads 'tags t'" },
        { "SELECT i.id FROM items i WHERE items.owner_id = @owner", "reads 'items i'" },
        { "SELECT o.id FROM items m LEFT JOIN items o ON o.id = @id AND m.owner_id = @owner WHERE m.owner_id = @owner", "reads 'items o'" },
        { "SELECT a.id FROM items a RIGHT JOIN items b ON b.owner_id = @owner WHERE a.owner_id = @owner", "reads 'items b'" },
        { "SELECT a.id FROM items a FULL JOIN items b ON a.owner_id = @owner AND b.owner_id = @owner", "reads 'items a'" },
        { "SELECT i.id FROM items i JOIN notes n ON n.item_id = i.id WHERE owner_id = @owner", "does not say which table" },
        { "SELECT x.id FROM items x, notes x WHERE x.owner_id = @owner", "two FROM items named 'x'" },
        { "SELECT i.id FROM items AS i(owner_id, id) WHERE i.owner_id = @owner", "renames its columns" },
        { "SELECT i.id FROM (items i JOIN notes n ON n.item_id = i.id) WHERE i.owner_id = @owner AND n.owner_id = @owner", "parenthesised join" },
        { "SELECT i.id FROM items i, json_tree(i.doc) t WHERE i.owner_id = @owner", "reads 'json_tree t'" },
        { "SELECT o.id FROM items o, notes items WHERE items.owner_id = @owner", "reads 'items o'" },
        { "SELECT x.id FROM main.items, temp.items x, notes items WHERE items.owner_id = @owner AND x.owner_id = @owner", "two FROM items named 'items'" },
        { "SELECT j.value FROM items i, json_each((SELECT group_concat(name) FROM items)) j WHERE i.owner_id = @owner", "reads 'items'" },

        // Every branch of a set operation.
        { "SELECT id FROM items WHERE owner_id = @owner UNION ALL SELECT id FROM items WHERE id = @id", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner EXCEPT SELECT id FROM items", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner INTERSECT SELECT id FROM items", "reads 'items'" },
        { "(SELECT id FROM items WHERE owner_id = @owner) UNION (SELECT id FROM items)", "reads 'items'" },
        { "SELECT id, name FROM items WHERE owner_id = @owner UNION ALL TABLE items", "'TABLE' where a SELECT was expected" },

        // The filter itself: exactly column = @owner, ANDed at the top level.
        { "SELECT id FROM items WHERE owner_id = @owner OR 1 = 1", "top-level OR" },
        { "SELECT id FROM items WHERE (owner_id = @owner OR 1 = 1) AND id = @id", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id = 1 OR owner_id = @owner AND id = 2", "top-level OR" },
        { "SELECT id FROM items WHERE NOT owner_id <> @owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = @owner COLLATE NOCASE", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = lower(@owner)", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id LIKE @owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id >= @owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = @owner::text", "'@owner::'" },
        { "SELECT id FROM items WHERE owner_id = @ownerName", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = @Owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = :owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id = ?", "cannot be checked" },
        { "SELECT id FROM items WHERE owner_id = $owner", "'$'" },
        { "SELECT id FROM items WHERE \"OWNER_ID\" = @owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner = @owner", "nothing requires" },
        { "SELECT id FROM items WHERE OWNER_\u0131D = @owner", "nothing requires" },
        { "SELECT id FROM items WHERE owner_id\u00a0= @owner", "nothing requires" },
        { "SELECT id FROM items WHERE id BETWEEN @low AND owner_id = @owner", "nothing requires" },
        { "SELECT id FROM items WHERE id = @id", "nothing requires" },
        { "SELECT id FROM items", "nothing requires" },

        // Sub-queries, derived tables and WITH queries are checked at their own level.
        { "SELECT id FROM items WHERE id IN (SELECT i.id FROM items i WHERE i.owner_id = @owner)", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets s WHERE s.value = @guess)", "reads 'secrets s'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets WHERE owner_id = @owner)", "outer query" },
        { "SELECT id, (SELECT x.name FROM items x WHERE x.id = @other) AS name FROM items WHERE owner_id = @owner", "reads 'items x'" },
        { "SELECT id FROM items WHERE owner_id = @owner ORDER BY (SELECT count(*) FROM items)", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner LIMIT (SELECT count(*) FROM items)", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner GROUP BY id HAVING max(id) > (SELECT max(id) FROM items)", "reads 'items'" },
        { "SELECT x.id FROM (SELECT id, owner_id FROM items) x WHERE x.owner_id = @owner", "reads 'items'" },
        { "SELECT i.id FROM items i, LATERAL (SELECT n.id FROM notes n WHERE n.item_id = i.id) x WHERE i.owner_id = @owner", "reads 'notes n'" },
        { "WITH other AS (SELECT id FROM items WHERE id = @id) SELECT id FROM other", "reads 'items'" },
        { "WITH mine AS (SELECT id FROM items WHERE owner_id = @owner) SELECT id FROM mine UNION ALL SELECT id FROM items", "reads 'items'" },
        { "WITH items AS (SELECT id FROM items WHERE owner_id = @owner) SELECT id FROM main.items", "reads 'main.items'" },
        { "WITH mine AS (SELECT id FROM items WHERE owner_id = @owner) SELECT id FROM \"Mine\"", "reads '\"Mine\"'" },
        { "WITH gone AS (DELETE FROM items WHERE id = @id RETURNING id) SELECT id FROM items WHERE owner_id = @owner", "changes rows" },
        { "WITH RECURSIVE t(id) AS (SELECT id FROM items WHERE owner_id = @owner UNION ALL SELECT i.id FROM items i JOIN t ON i.parent_id = t.id) SELECT id FROM t", "reads 'items i'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND @guess IN secrets", "IN followed by a table name" },
        { "SELECT id FROM items WHERE owner_id = @owner AND query_to_xml('SELECT * FROM items', true, false, '') IS NOT NULL", "query_to_xml" },

        // Functions: one that runs SQL given as text reads every owner's rows, however its name is spelled;
        // any function not known to read only its arguments is refused, unless the store declares it.
        { "SELECT id, \"query_to_xml\"('SELECT * FROM items', true, false, '')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, pg_catalog.\"table_to_xml\"('items', true, false, '')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, PG_CATALOG.Query_To_Xml('SELECT * FROM items', true, false, '')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, [query_to_xml]('SELECT * FROM items', true, false, '') AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, ts_stat('SELECT to_tsvector(name) FROM items')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, ts_rewrite('a'::tsquery, 'SELECT t, s FROM aliases')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT s.word FROM items i, ts_stat('SELECT to_tsvector(name) FROM items') s WHERE i.owner_id = @owner AND s.owner_id = @owner", "runs SQL given as text" },
        { "SELECT t.id FROM items i, dblink('dbname=app', 'SELECT id FROM items') AS t WHERE i.owner_id = @owner AND t.owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, cursor_to_xml('c', 10, false, false, '')::text AS name FROM items WHERE owner_id = @owner", "runs SQL given as text" },
        { "SELECT id, lookup_name(id) AS name FROM items WHERE owner_id = @owner", "lookup_name(), which is not one Rampart knows" },
        { "SELECT id, public.lower(name) AS name FROM items WHERE owner_id = @owner", "AllowedFunctions = new[] { \"public.lower\" }" },
        { "SELECT id, \"LOWER\"(name) AS name FROM items WHERE owner_id = @owner", "\"LOWER\"()" },
        { "SELECT id, other.similarity(name, @q) AS score FROM items WHERE owner_id = @owner", "other.similarity()" },
        { "SELECT id, app.pg_catalog.lower(name) AS name FROM items WHERE owner_id = @owner", "app.pg_catalog.lower()" },
        { "SELECT id, set_config('app.owner', @other, false) AS name FROM items WHERE owner_id = @owner", "set_config()" },
        { "SELECT id FROM items WHERE owner_id = @owner ORDER BY lookup_rank(id)", "lookup_rank()" },
        { "SELECT x.id FROM items_of(@owner) x WHERE x.owner_id = @owner", "items_of()" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) WHERE is_live(id) DO UPDATE SET name = excluded.name WHERE items.owner_id = @owner", "is_live()" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id, key_of(name)) DO NOTHING", "key_of()" },

        // SQLite's variables: '@id(…)' runs to ')', '@id::x' and '#x' are variables too, '@1' is one.
        { "SELECT id FROM items WHERE owner_id = @owner AND id = @id(') OR 1=1 --')", "'@id('" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id = @id::x(') OR 1=1 --')", "'@id::'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id = #id", "'#i'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id = #1", "'#1'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id = @1", "'@1'" },

        // UPDATE and DELETE: the target and every FROM/USING item.
        { "UPDATE items SET name = m.name FROM items m WHERE m.owner_id = @owner AND items.id = @id", "changes rows of 'items'" },
        { "UPDATE items SET name = @name FROM items m WHERE owner_id = @owner", "changes rows of 'items'" },
        { "UPDATE items AS i SET name = @name WHERE items.owner_id = @owner", "changes rows of 'items i'" },
        { "UPDATE items AS m SET name = @name FROM items WHERE items.owner_id = @owner", "changes rows of 'items m'" },
        { "UPDATE items SET name = @name WHERE owner_id = @owner OR id = @id", "top-level OR" },
        { "UPDATE items SET name = @name", "changes rows of 'items'" },
        { "UPDATE items SET owner_id = @other WHERE id = @id AND owner_id = @owner", "sets 'owner_id'" },
        { "UPDATE items SET (name, owner_id) = (@name, @owner) WHERE id = @id AND owner_id = @owner", "sets 'owner_id'" },
        { "UPDATE items SET \"OWNER_ID\" = @other WHERE id = @id AND owner_id = @owner", "sets 'owner_id'" },
        { "UPDATE OR REPLACE items SET id = @newId WHERE id = @id AND owner_id = @owner", "UPDATE OR REPLACE" },
        { "UPDATE items SET name = @name WHERE id = @id AND owner_id = @owner RETURNING id, (SELECT x.name FROM items x WHERE x.id = @other) AS other", "reads 'items x'" },
        { "UPDATE categories SET name = @name WHERE id = @id AND owner_id = @owner", "declares shared" },
        { "DELETE FROM items USING items m WHERE m.owner_id = @owner AND items.id = @id", "changes rows of 'items'" },
        { "DELETE FROM items WHERE id = @id", "changes rows of 'items'" },
        { "DELETE FROM items WHERE id IN (SELECT id FROM items WHERE owner_id = @owner)", "changes rows of 'items'" },
        { "DELETE FROM items WHERE id = @id; DELETE FROM items WHERE id = @id AND owner_id = @owner", "more than one statement" },
        { "WITH mine AS (SELECT id FROM items WHERE owner_id = @owner) DELETE FROM mine WHERE id = @id", "WITH query 'mine'" },

        // INSERT: the owner column gets @owner in every row; conflicts never reach another owner's row.
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, name = excluded.name", "sets 'owner_id'" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET owner_id = @owner", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE excluded.owner_id = @owner", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE items.owner_id = @owner OR 1 = 1", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) WHERE owner_id = @owner DO UPDATE SET name = excluded.name", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT ON CONSTRAINT items_owner_id DO UPDATE SET name = excluded.name", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id, lower(owner_id)) DO UPDATE SET name = excluded.name", "can change a row another owner holds" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = (SELECT x.name FROM items x WHERE x.id = @other) WHERE items.owner_id = @owner", "reads 'items x'" },
        { "INSERT OR REPLACE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)", "INSERT OR REPLACE" },
        { "insert or replace into items (id, owner_id, name) values (@id, @owner, @name)", "INSERT OR REPLACE" },
        { "REPLACE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)", "REPLACE INTO" },
        { "INSERT INTO items (id, owner_id, name) SELECT @id, @owner, name FROM items WHERE id = @source", "reads 'items'" },
        { "INSERT INTO items (id, owner_id, name) WITH x AS (SELECT name FROM items) SELECT @id, @owner, name FROM x", "reads 'items'" },
        { "INSERT INTO items (id, owner_id, name) SELECT @id, @owner, name FROM items WHERE owner_id = @owner UNION SELECT @id, owner_id, name FROM items WHERE owner_id = @owner", "does not select '@owner'" },
        { "INSERT INTO items (id, owner_id, name) SELECT @id, owner_id, name FROM items WHERE owner_id = @owner", "does not select '@owner'" },
        { "INSERT INTO items (id, owner_id, name) SELECT * FROM items WHERE owner_id = @owner", "does not select '@owner'" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @name, @owner)", "does not put '@owner'" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name), (@id2, @other, @name)", "does not put '@owner'" },
        { "INSERT INTO items (id, owner_id, \"OWNER_ID\") VALUES (@id, @owner, @other)", "does not put '@owner'" },
        { "INSERT INTO items VALUES (@id, @owner, @name)", "does not put '@owner'" },
        { "INSERT INTO items DEFAULT VALUES", "does not put '@owner'" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, (SELECT x.name FROM items x WHERE x.id = @source))", "reads 'items x'" },
        { "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) RETURNING (SELECT count(*) FROM items)", "reads 'items'" },
        { "INSERT INTO categories (id, owner_id) VALUES (@id, @owner)", "declares shared" },

        // Text the two databases read differently, or the reader does not read, is refused.
        { "SELECT id FROM items WHERE owner_id = @owner AND id = @id --\r UNION ALL SELECT id FROM items", "carriage return" },
        { "SELECT id FROM items WHERE id = @id /* /* */ AND owner_id = @owner AND name <> '' /* */ */", "inside a /* comment" },
        { "SELECT id FROM items WHERE owner_id = @owner AND name = E'\\'' OR 1 = 1 --'", "backslash" },
        { "SELECT id FROM items WHERE id = @id AND name <> $$ AND owner_id = @owner AND $$", "'$'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id IN (SELECT @id AS [--]) OR 1 = 1", "'['" },
        { "SELECT id FROM items WHERE owner_id = @owner AND id IN (SELECT @id AS `--`) OR 1 = 1", "'`'" },
        { "SELECT id FROM items WHERE owner_id = @owner AND name = U&'\\0061'", "U&" },
        { "SELECT id FROM items WHERE owner_id = @owner AND 0 = offset OR 1 = 1", "top-level OR" },
        { "SELECT id FROM items WHERE owner_id = @owner AND 0 = for OR 1 = 1", "top-level OR" },
        { "SELECT id FROM items WHERE owner_id = @owner AND x = end OR 1 = 1", "END without CASE" },
        { "SELECT id FROM items WHERE id = @id -- AND owner_id = @owner", "nothing requires" },
        { "SELECT id FROM items WHERE id = @id /* AND owner_id = @owner */", "nothing requires" },
        { "SELECT id INTO stolen FROM items WHERE owner_id = @owner", "SELECT … INTO" },
        { "SELECT (SELECT count(*) FROM tags t WHERE t.owner_id = @owner), name AS like FROM items", "reads 'items'" },
        { "SELECT (SELECT count(*) FROM tags t WHERE t.owner_id = @owner), name offset FROM items", "out of place" },
        { "SELECT (SELECT count(*) FROM tags t WHERE t.owner_id = @owner) AS n, name FROM items WHERE window = 1", "reads 'items'" },
        { "SELECT id FROM items WHERE owner_id = @owner WINDOW", "'WINDOW' followed by the end" },
        { "PRAGMA table_info(items)", "starts with 'PRAGMA'" },
        { "MERGE INTO items USING other ON items.id = other.id WHEN MATCHED THEN DELETE", "starts with 'MERGE'" },
        { "SELECT 1", "reads no owner-scoped table" },
        { "SELECT name FROM categories WHERE id = @id AND @owner = @owner", "reads no owner-scoped table" },
    };

    public static TheoryData<string> Accepted => new()
    {
        // The sample's and the data tests' stores.
        "INSERT INTO orders (id, owner_id, product_id, quantity, note, created_at)\n    VALUES (@id, @owner, @productId, @quantity, @note, @createdAt)",
        "SELECT id, product_id, quantity, note, created_at FROM orders WHERE id = @id AND owner_id = @owner",
        "UPDATE orders SET quantity = @quantity, note = @note\n    WHERE id = @id AND owner_id = @owner\n    RETURNING id, product_id, quantity, note, created_at",
        "DELETE FROM orders WHERE id = @id AND owner_id = @owner",
        "SELECT id, product_id, quantity, note, created_at FROM orders\n    WHERE owner_id = @owner AND product_id LIKE @prefix\n    ORDER BY created_at DESC, id\n    LIMIT @limit",
        "SELECT COUNT(*) FROM orders WHERE owner_id = @owner AND product_id LIKE @prefix",
        "DELETE FROM notes WHERE owner_id = @owner AND (id = @id OR text = @text)",
        "INSERT INTO notes (owner_id, text) VALUES (@owner, @text) RETURNING id, text",

        // Filters in the forms the check reads.
        "SELECT id FROM items WHERE @owner = owner_id",
        "SELECT id FROM items WHERE (owner_id = @owner)",
        "SELECT id FROM items WHERE (owner_id = @owner AND (id = @id OR 1 = 1))",
        "SELECT id FROM items WHERE id BETWEEN @low AND @high AND owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @caller",
        "SELECT id FROM items WHERE \"owner_id\" = @owner",
        "sElEcT ID fRoM ITEMS wHeRe OWNER_ID = @owner",
        "SELECT i.id FROM items AS i WHERE i.owner_id = @owner",
        "SELECT id FROM main.items WHERE items.owner_id = @owner",
        "SELECT id FROM main.items WHERE main.items.owner_id = @owner",
        "SELECT id FROM [items] WHERE [owner_id] = @owner",
        "SELECT id FROM `items` WHERE `owner_id` = @owner",
        "SELECT id, CASE WHEN a AND b THEN 1 ELSE 0 END AS flag FROM items WHERE owner_id = @owner",
        "SELECT id, a IS NOT DISTINCT FROM b AS same FROM items WHERE owner_id = @owner",
        "SELECT id, position('x' IN name) AS at FROM items WHERE owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @owner ORDER BY created_at DESC NULLS LAST LIMIT @limit OFFSET @offset",
        "SELECT DISTINCT ON (kind) kind, id FROM items WHERE owner_id = @owner ORDER BY kind, id",
        "SELECT kind, count(*) AS n FROM items WHERE owner_id = @owner GROUP BY kind HAVING count(*) > 1",
        "SELECT id FROM items WHERE owner_id = @owner FOR UPDATE",
        "SELECT id FROM items WHERE owner_id = @owner AND name = 'it''s -- not a comment'; -- done\r\n",
        "SELECT id /* the caller's */ FROM items WHERE owner_id = @owner",
        "SELECT name AS offset, id AS at FROM items WHERE owner_id = @owner",
        "SELECT id FROM items WHERE user_id = @owner",

        // Functions: the built-in ones, spelled as the databases resolve them to the same function; the
        // SQL forms written like calls; type names with a modifier; the functions a store declares.
        "SELECT id, lower(name), LOWER(name), Lower(name), \"lower\"(name), [lower](name), pg_catalog.lower(name), PG_CATALOG.\"upper\"(name) FROM items WHERE owner_id = @owner",
        "SELECT id, coalesce(note, ''), nullif(a, b), greatest(a, b), least(a, b), extract(year FROM created_at), substring(name FROM 1 FOR 3), trim(BOTH ' ' FROM name), cast(n AS text) FROM items WHERE owner_id = @owner",
        "SELECT CAST(name AS varchar(10)), name::character varying(10), price::numeric(10, 2), CAST(at AS timestamp(3)), x::pg_catalog.varchar(5), CAST(x AS bit varying(8)) FROM items WHERE owner_id = @owner",
        "SELECT kind, count(*) FILTER (WHERE done) AS n, row_number() OVER (PARTITION BY kind ORDER BY id) AS r, percentile_cont(0.5) WITHIN GROUP (ORDER BY price) AS median FROM items WHERE owner_id = @owner GROUP BY kind, id, done",
        "SELECT id, ts_rank(to_tsvector('simple', name), plainto_tsquery('simple', @q)) AS rank FROM items WHERE owner_id = @owner AND to_tsvector('simple', name) @@ plainto_tsquery('simple', @q)",
        "SELECT id, json_extract(doc, '$.a'), jsonb_build_object('id', id), date_trunc('day', created_at), strftime('%Y', created_at), round(price * 1.2, 2), string_agg(name, ',') FROM items WHERE owner_id = @owner GROUP BY id",
        "SELECT id FROM items WHERE owner_id = @owner AND id IN (SELECT t.item_id FROM tags t WHERE t.owner_id = @owner AND EXISTS (SELECT 1 FROM notes n WHERE n.owner_id = @owner AND n.kind <> ALL (SELECT k.kind FROM kinds k WHERE k.owner_id = @owner)))",
        "SELECT i.id, j.value FROM items i, json_each(i.tags) j WHERE i.owner_id = @owner AND j.value LIKE ('%' || @q || '%')",
        "SELECT id, similarity(name, @q) AS score, SIMILARITY(name, @q), geo.distance(a, b), GEO.DISTANCE(a, b) FROM items WHERE owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @owner AND id = @id AND name = '@id(x)' AND note = (@note)",
        "SELECT id FROM items WHERE owner_id = @owner AND doc #> '{a}' IS NOT NULL AND (flags # 1) = 0",

        // Joins, set operations, sub-queries and WITH queries, each filtered.
        "SELECT o.id FROM items o JOIN items m ON m.id = o.parent_id WHERE o.owner_id = @owner AND m.owner_id = @owner",
        "SELECT o.id FROM items o, items m WHERE o.owner_id = @owner AND m.owner_id = @owner AND m.id = o.parent_id",
        "SELECT o.id FROM items notes, notes o WHERE notes.owner_id = @owner AND o.owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @owner AND id = @id UNION SELECT i.id FROM items i WHERE i.owner_id = @caller",
        "SELECT i.id FROM items i JOIN tags t ON t.item_id = i.id AND t.owner_id = @owner AND i.owner_id = @owner",
        "SELECT i.id FROM items i LEFT JOIN tags t ON t.item_id = i.id AND t.owner_id = @owner WHERE i.owner_id = @owner",
        "SELECT a.id FROM items a RIGHT JOIN items b ON a.owner_id = @owner WHERE b.owner_id = @owner",
        "SELECT i.id, c.name FROM items i JOIN categories c ON c.id = i.category_id WHERE i.owner_id = @owner",
        "SELECT i.id, r.name FROM items i, public.regions r WHERE i.owner_id = @owner AND r.id = i.region_id",
        "SELECT i.id, j.value FROM items i, json_each(i.tags) j WHERE i.owner_id = @owner",
        "SELECT i.id FROM items i NATURAL JOIN categories WHERE i.owner_id = @owner",
        "SELECT i.id FROM items i JOIN tags t USING (item_id) WHERE i.owner_id = @owner AND t.owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @owner UNION ALL SELECT id FROM archived WHERE owner_id = @owner",
        "SELECT id FROM items WHERE owner_id = @owner EXCEPT SELECT id FROM hidden WHERE owner_id = @owner ORDER BY id",
        "(SELECT id FROM items WHERE owner_id = @owner) UNION (SELECT id FROM archived WHERE owner_id = @owner) ORDER BY id",
        "SELECT id FROM items WHERE owner_id = @owner UNION VALUES (0)",
        "SELECT id FROM items WHERE owner_id = @owner AND id IN (SELECT t.item_id FROM tags t WHERE t.owner_id = @owner)",
        "SELECT id FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM tags WHERE tags.owner_id = @owner)",
        "SELECT id, (SELECT count(*) FROM tags t WHERE t.owner_id = @owner AND t.item_id = items.id) AS n FROM items WHERE owner_id = @owner",
        "SELECT x.id FROM (SELECT id FROM items WHERE owner_id = @owner) x WHERE x.id = @id",
        "SELECT x.id FROM (SELECT id FROM items WHERE owner_id = @owner) AS x(id)",
        "SELECT i.id FROM items i, LATERAL (SELECT n.id FROM notes n WHERE n.owner_id = @owner AND n.item_id = i.id) x WHERE i.owner_id = @owner",
        "WITH mine AS (SELECT id FROM items WHERE owner_id = @owner) SELECT id FROM mine WHERE id = @id",
        "WITH a AS (SELECT id FROM items WHERE owner_id = @owner), b AS (SELECT id FROM a) SELECT b.id FROM b JOIN a ON a.id = b.id",
        "WITH RECURSIVE tree(id, parent_id) AS (SELECT id, parent_id FROM items WHERE owner_id = @owner AND id = @id UNION ALL SELECT i.id, i.parent_id FROM items i JOIN tree t ON i.parent_id = t.id WHERE i.owner_id = @owner) SELECT id FROM tree",
        "WITH c AS MATERIALIZED (SELECT id FROM items WHERE owner_id = @owner) SELECT id FROM c",

        // Writes.
        "UPDATE items SET name = @name WHERE id = @id AND owner_id = @owner",
        "UPDATE items SET owner_id = @owner, name = @name WHERE id = @id AND owner_id = @owner",
        "UPDATE items AS i SET name = @name WHERE i.owner_id = @owner",
        "UPDATE items i SET name = c.name FROM categories c WHERE i.owner_id = @owner AND c.id = i.category_id",
        "UPDATE items SET name = m.name FROM items m WHERE items.owner_id = @owner AND m.owner_id = @owner AND m.id = @source",
        "UPDATE OR IGNORE items SET name = @name WHERE owner_id = @owner",
        "UPDATE items SET (name, kind) = (@name, @kind) WHERE owner_id = @owner",
        "UPDATE items SET name = (SELECT c.name FROM categories c WHERE c.id = @category) WHERE owner_id = @owner RETURNING id, name",
        "DELETE FROM items WHERE owner_id = @owner",
        "DELETE FROM items AS i WHERE i.owner_id = @owner AND i.id = @id",
        "DELETE FROM items USING categories c WHERE items.owner_id = @owner AND items.category_id = c.id AND c.name = @category",
        "DELETE FROM items WHERE owner_id = @owner AND id IN (SELECT t.item_id FROM tags t WHERE t.owner_id = @owner) RETURNING id",
        "WITH old AS (SELECT id FROM items WHERE owner_id = @owner AND created < @before) DELETE FROM items WHERE owner_id = @owner AND id IN (SELECT id FROM old)",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name), (@id2, @owner, @name2)",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT DO NOTHING",
        "INSERT OR IGNORE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE items.owner_id = @owner",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE owner_id = @owner",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE items.owner_id = excluded.owner_id",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (owner_id, id) DO UPDATE SET name = excluded.name",
        "INSERT INTO items AS i (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE i.owner_id = @owner RETURNING i.id",
        "INSERT INTO items (id, owner_id, name) SELECT @id, @owner, name FROM items WHERE id = @source AND owner_id = @owner",
        "INSERT INTO items (id, owner_id, name) SELECT @id, @owner, c.name FROM categories c WHERE c.id = @category",
        "INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, (SELECT c.name FROM categories c WHERE c.id = @category))",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses(string sql, string reason)
    {
        string? problem = Check(sql);
        Assert.True(problem is not null, "accepted: " + sql);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts(string sql) => Assert.Null(Check(sql, column: sql.Contains("user_id", StringComparison.Ordinal) ? "user_id" : "owner_id"));

    [Fact]
    public void FunctionsThatRunSqlTextStayRefusedWhenDeclared() =>
        // Functions lists query_to_xml: declaring it does not make it safe.
        Assert.Contains("runs SQL given as text", Check("SELECT id, query_to_xml('SELECT * FROM items', true, false, '') AS x FROM items WHERE owner_id = @owner"), StringComparison.Ordinal);

    [Fact]
    public void UnknownFunctionsSayHowToDeclareThem()
    {
        string? problem = OwnerScopeCheck.Explain(SqlText.Read("SELECT id, Lookup_Name(id) AS name FROM items WHERE owner_id = @owner"), "owner_id", new[] { "owner" }, Shared);
        Assert.Equal(
            "its SQL cannot be checked: the function Lookup_Name(), which is not one Rampart knows reads nothing but its arguments (a function can read other owners' rows: PostgreSQL's query_to_xml and ts_stat run SQL given as text); "
            + "if it reads no table and runs no SQL, declare it in [OwnerScoped(AllowedFunctions = new[] { \"lookup_name\" })]. Owner-scoped SQL is accepted only when the check reads all of it; see RAMP0048 in docs/diagnostics.md for what it reads",
            problem);
    }

    [Fact]
    public void UnreadableSqlSaysWhatToDo()
    {
        string? problem = Check("SELECT id FROM items WHERE owner_id = @owner; DROP TABLE items");
        Assert.Equal(
            "its SQL cannot be checked: more than one statement: SQL follows ';'. Owner-scoped SQL is accepted only when the check reads all of it; see RAMP0048 in docs/diagnostics.md for what it reads",
            problem);
    }
}
