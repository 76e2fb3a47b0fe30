using System.Linq;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// The generated data access of representative stores, reviewed and committed as
/// <c>Snapshots/StoreSnapshotTests.*.verified.cs</c>; each snapshot compilation must compile cleanly.
/// </summary>
public sealed class StoreSnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Rampart;

        """;

    private static GeneratorOutput RunAndVerify(string source, string expectedStoreHint, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        var output = TestCompiler.Run(new SourceFile("Stores.cs", Usings + source)).AssertCompiles().AssertNoGeneratorDiagnostics();
        Assert.Equal(new[] { "RampartEndpoints.g.cs", expectedStoreHint }.OrderBy(n => n, System.StringComparer.Ordinal), output.Sources.Select(s => s.HintName));
        Snapshot.Verify(output, method);
        return output;
    }

    [Fact]
    public void EveryReturnShape() => RunAndVerify("""
        namespace Shop;

        public sealed record Product(Guid Id, string Name, decimal Price, int? Stock, DateTimeOffset CreatedAt);

        public sealed class ProductSummary
        {
            public required string Name { get; init; }
            public long Views { get; set; }
            public byte[]? Thumbnail { get; set; }
        }

        public sealed partial class ProductStore
        {
            [Sql("INSERT INTO products (id, name, price, stock, created_at) VALUES (@id, @name, @price, @stock, @createdAt)")]
            public partial Task<int> InsertAsync(Guid id, string name, decimal price, int? stock, DateTimeOffset createdAt, CancellationToken cancellationToken);

            [Sql("SELECT id, name, price, stock, created_at FROM products WHERE id = @id")]
            public partial Task<Product?> FindAsync(Guid id, CancellationToken cancellationToken);

            [Sql("SELECT p.id, p.name, p.price, p.stock, p.created_at FROM products p WHERE p.name LIKE @prefix ORDER BY p.name LIMIT @limit")]
            public partial Task<IReadOnlyList<Product>> SearchAsync(string prefix, int limit, CancellationToken cancellationToken);

            [Sql("SELECT name, views_total AS views, thumbnail FROM product_summaries WHERE price < @max")]
            internal partial IAsyncEnumerable<ProductSummary> StreamAsync(decimal max, CancellationToken cancellationToken);

            [Sql("SELECT COUNT(*) FROM products WHERE price >= @min")]
            public partial Task<long> CountAsync(decimal min, CancellationToken cancellationToken);

            [Sql("SELECT name FROM products WHERE id = @id")]
            public partial Task<string?> NameAsync(Guid id);

            [Sql("UPDATE products SET price = @price WHERE id = @id AND @active = 1 -- '@ignored' in a comment")]
            public partial Task<int> RepriceAsync(Guid id, decimal price, bool active, CancellationToken cancellationToken);
        }
        """, "Shop.ProductStore.Store.g.cs");

    [Fact]
    public void OwnerScopedStore() => RunAndVerify("""
        namespace Notes;

        public sealed record Note(long Id, string Text);

        [OwnerScoped]
        public sealed partial class NoteStore
        {
            [Sql("INSERT INTO notes (owner_id, text) VALUES (@owner, @text) RETURNING id, text")]
            public partial Task<Note?> AddAsync(OwnerId owner, string text, CancellationToken cancellationToken);

            [Sql("SELECT id, text FROM notes WHERE id = @id AND owner_id = @owner")]
            public partial Task<Note?> FindAsync(long id, OwnerId owner, CancellationToken cancellationToken);

            [Sql("DELETE FROM notes WHERE owner_id = @owner AND (id = @id OR text = @text)")]
            public partial Task<int> DeleteAsync(long id, string text, OwnerId owner, CancellationToken cancellationToken);
        }
        """, "Notes.NoteStore.Store.g.cs");

    [Fact]
    public void SelectStarReadsByName()
    {
        var output = TestCompiler.Run(new SourceFile("Stores.cs", Usings + """
            namespace Legacy;

            public sealed record Row(int Id, string DisplayName);

            public partial class Outer
            {
                public sealed partial class RowStore
                {
                    [Sql("SELECT * FROM rows WHERE id = @id")]
                    public partial Task<Row?> FindAsync(int id);

                    [Sql("SELECT * FROM rows")]
                    public partial IAsyncEnumerable<Row> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken);
                }
            }
            """)).AssertCompiles();
        Assert.All(output.GeneratorDiagnostics, d => Assert.Equal("RAMP0046", d.Id));
        Assert.Equal(2, output.GeneratorDiagnostics.Length);
        Snapshot.Verify(output);
    }
}
