using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// [MinLength]/[MaxLength]/[Length] carry RequiresUnreferencedCode, so the trim analyzer reports IL2026
/// where they are applied. On contracts and the types they reach the attributes are compiled and never
/// evaluated, and CompiledValidationSuppressor suppresses the warning; elsewhere it stays.
/// The real ILLink analyzer (from the Microsoft.NET.ILLink.Tasks package) runs in-process.
/// </summary>
public sealed class SuppressorTests
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> TrimAnalyzers = new(LoadTrimAnalyzers);

    private static ImmutableArray<DiagnosticAnalyzer> LoadTrimAnalyzers()
    {
        string root = typeof(SuppressorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        string packages = Path.Combine(root, "microsoft.net.illink.tasks");
        string path = Directory.Exists(packages)
            ? Directory.GetDirectories(packages)
                .Select(d => Path.Combine(d, "analyzers", "dotnet", "cs", "ILLink.RoslynAnalyzer.dll"))
                .Where(File.Exists)
                .OrderByDescending(p => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(p)))))!.Split('-')[0], out var v) ? v : new Version())
                .FirstOrDefault() ?? string.Empty
            : string.Empty;
        if (path.Length == 0)
        {
            throw new FileNotFoundException($"ILLink.RoslynAnalyzer.dll not found under {packages}; the package is restored for src/Runtime (IsAotCompatible).");
        }

        var assembly = Assembly.LoadFrom(path);
        return assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
    }

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }

    private sealed class OptionsProvider : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty
            .Add("build_property.EnableTrimAnalyzer", "true")
            .Add("build_property.IsTrimmable", "true"));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private const string Source = """
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Rampart;

        namespace Trim;

        public sealed record Line
        {
            [MaxLength(8)] public required string Sku { get; init; }
        }

        [SecureEndpoint("POST", "/orders", Permission = "orders:write")]
        public sealed partial record PlaceOrder
        {
            [MaxLength(10)] public required string Name { get; init; }
            [MinLength(1), MaxLength(5)] public required List<Line> Lines { get; init; }
            [Length(0, 3)] public string[]? Tags { get; init; }

            static NoContent Handle(PlaceOrder request) => TypedResults.NoContent();
        }

        [SecureEndpoint("POST", "/people", Permission = "people:write")]
        public sealed partial record AddPerson([property: MaxLength(10)] string Name, [MaxLength(20)] string? Nickname = null)
        {
            static NoContent Handle(AddPerson request) => TypedResults.NoContent();
        }

        // Not a contract and not reached by one: DataAnnotations may evaluate these by reflection.
        public sealed class Unrelated
        {
            [MaxLength(10)] public string? Name { get; set; }
        }
        """;

    private static async Task<List<(string Line, bool Suppressed)>> Il2026Async()
    {
        var output = TestCompiler.Run(new SourceFile("Trim.cs", Source)).AssertNoGeneratorDiagnostics().AssertCompiles();
        var diagnostics = await TestCompiler.AnalyzeWithSuppressorAsync(
            output.OutputCompilation,
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new OptionsProvider()),
            TrimAnalyzers.Value.ToArray());
        string[] lines = Source.ReplaceLineEndings("\n").Split('\n');
        return diagnostics
            .Where(d => d.Id == "IL2026" && d.Location.SourceTree?.FilePath == "Trim.cs")
            .Select(d => (lines[d.Location.GetLineSpan().StartLinePosition.Line].Trim(), d.IsSuppressed))
            .OrderBy(x => x.Item1, StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public async Task TrimAnalyzerReportsIL2026ForLengthAttributes()
    {
        var reported = await Il2026Async();
        // The analyzer really runs: it reports the attribute on the unrelated class.
        Assert.Contains(reported, r => r.Line.Contains("public string? Name { get; set; }", StringComparison.Ordinal));
        Assert.True(reported.Count >= 7, string.Join("\n", reported));
    }

    [Fact]
    public async Task SuppressesIL2026OnContractsAndTheTypesTheyReach()
    {
        var reported = await Il2026Async();
        var contractLines = reported.Where(r => !r.Line.Contains("{ get; set; }", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(contractLines);
        Assert.True(contractLines.All(r => r.Suppressed), "not suppressed:\n" + string.Join("\n", contractLines.Where(r => !r.Suppressed).Select(r => r.Line)));
        Assert.Contains(contractLines, r => r.Line.Contains("Sku", StringComparison.Ordinal));                 // reached through List<Line>
        Assert.Contains(contractLines, r => r.Line.Contains("string? Nickname", StringComparison.Ordinal));    // positional parameter
    }

    [Fact]
    public async Task LeavesIL2026OnUnrelatedTypes()
    {
        var reported = await Il2026Async();
        var unrelated = reported.Where(r => r.Line.Contains("{ get; set; }", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(unrelated);
        Assert.All(unrelated, r => Assert.False(r.Suppressed));
    }
}
