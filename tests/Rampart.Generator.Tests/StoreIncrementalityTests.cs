using System.Linq;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>The store pipeline caches: an unrelated edit leaves it untouched; an edit to a [Sql] method regenerates its store.</summary>
public sealed class StoreIncrementalityTests
{
    private static SourceFile Store(string sql = "SELECT id, name FROM items WHERE id = @id") => new("Store.cs", $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Rampart;

        namespace App;

        public sealed record Item(int Id, string Name);

        public sealed partial class ItemStore
        {
            [Sql("{{sql}}")]
            public partial Task<Item?> FindAsync(int id, CancellationToken cancellationToken);

            [Sql("DELETE FROM items WHERE id = @id")]
            public partial Task<int> DeleteAsync(int id, CancellationToken cancellationToken);
        }
        """);

    private static SourceFile Helper(string body) => new("Helper.cs", $$"""
        namespace App;

        public static class Helper
        {
            public static int Compute() => {{body}};
        }
        """);

    private static (GeneratorOutput First, GeneratorOutput Second) RunTwice(SourceFile edited, string editedPath)
    {
        var compilation = TestCompiler.CreateCompilation(new[] { Store(), Helper("1") });
        var first = TestCompiler.Run(compilation, TestCompiler.CreateDriver());
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == editedPath);
        var second = TestCompiler.Run(compilation.ReplaceSyntaxTree(old, TestCompiler.Parse(edited)), first.Driver);
        return (first, second);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorOutput output, string step) =>
        output.RunResult.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    [Fact]
    public void An_unrelated_edit_leaves_every_store_step_cached()
    {
        var (first, second) = RunTwice(Helper("2"), "Helper.cs");
        first.AssertNoGeneratorDiagnostics().AssertCompiles();

        Assert.All(Reasons(second, TrackingNames.ParseStoreMethod), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(second, TrackingNames.Stores), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.Equal(first.Source("App.ItemStore.Store.g.cs"), second.Source("App.ItemStore.Store.g.cs"));
    }

    [Fact]
    public void Editing_the_sql_regenerates_the_store()
    {
        var (first, second) = RunTwice(Store("SELECT id, name FROM items WHERE id = @id ORDER BY name"), "Store.cs");

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.Stores));
        Assert.Contains("ORDER BY name", second.Source("App.ItemStore.Store.g.cs").Text, System.StringComparison.Ordinal);
        Assert.DoesNotContain("ORDER BY name", first.Source("App.ItemStore.Store.g.cs").Text, System.StringComparison.Ordinal);
    }
}
