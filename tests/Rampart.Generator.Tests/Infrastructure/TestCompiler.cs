using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Diagnostics;

namespace Rampart.Generator.Tests.Infrastructure;

/// <summary>A C# source file given to a test compilation.</summary>
public sealed record SourceFile(string Path, string Text)
{
    public static implicit operator SourceFile(string text) => new("Source.cs", text);
}

/// <summary>One generated file.</summary>
public sealed record GeneratedFile(string HintName, string Text);

/// <summary>What one run of the generator over a compilation produced.</summary>
public sealed class GeneratorOutput
{
    public required CSharpCompilation InputCompilation { get; init; }

    public required Compilation OutputCompilation { get; init; }

    public required GeneratorDriver Driver { get; init; }

    public required GeneratorDriverRunResult RunResult { get; init; }

    /// <summary>Generated sources, ordered by hint name.</summary>
    public required ImmutableArray<GeneratedFile> Sources { get; init; }

    /// <summary>Diagnostics the generator reported (including an exception it threw, as CS8785).</summary>
    public required ImmutableArray<Diagnostic> GeneratorDiagnostics { get; init; }

    /// <summary>Diagnostics of the compilation that includes the generated sources.</summary>
    public required ImmutableArray<Diagnostic> CompilationDiagnostics { get; init; }

    public GeneratedFile Source(string hintName) =>
        Sources.SingleOrDefault(s => s.HintName == hintName)
        ?? throw new InvalidOperationException($"No generated source '{hintName}'; generated: {string.Join(", ", Sources.Select(s => s.HintName))}");

    /// <summary>Errors anywhere, and warnings located in generated code.</summary>
    public IEnumerable<Diagnostic> CompilationProblems =>
        CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error
            || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && IsGenerated(tree)));

    public static bool IsGenerated(SyntaxTree tree) => tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal);

    /// <summary>Fails with every problem listed when the output does not compile cleanly.</summary>
    public GeneratorOutput AssertCompiles()
    {
        var problems = CompilationProblems.ToList();
        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(Describe)));
        }

        return this;
    }

    /// <summary>Fails unless the generator reported nothing at all.</summary>
    public GeneratorOutput AssertNoGeneratorDiagnostics()
    {
        if (!GeneratorDiagnostics.IsEmpty)
        {
            throw new Xunit.Sdk.XunitException("The generator reported diagnostics:\n" + string.Join("\n", GeneratorDiagnostics.Select(Describe)));
        }

        return this;
    }

    public static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        string where = d.Location == Location.None ? "(no location)" : $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        return $"{where}: {d.Severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

/// <summary>
/// Compiles C# source with the Rampart generator, as the compiler would in a project that references
/// the Rampart package: ASP.NET Core shared framework, the Rampart runtime, nullable enabled.
/// </summary>
public static class TestCompiler
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithConcurrentBuild(false);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(SecureEndpointAttribute).Assembly.Location)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            // The test run's own assemblies are not what a user project references.
            .Where(p => !Path.GetFileName(p).StartsWith("xunit", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(p).StartsWith("Rampart.Generator", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("Microsoft.VisualStudio", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("testhost", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p, StringComparer.Ordinal);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    public static SyntaxTree Parse(SourceFile file) =>
        CSharpSyntaxTree.ParseText(file.Text.ReplaceLineEndings("\n"), ParseOptions, file.Path);

    public static CSharpCompilation CreateCompilation(IEnumerable<SourceFile> sources, string assemblyName = "TestProject") =>
        CSharpCompilation.Create(assemblyName, sources.Select(Parse), References, CompilationOptions);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new RampartGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutput Run(params SourceFile[] sources) => Run((IEnumerable<SourceFile>)sources);

    public static GeneratorOutput Run(IEnumerable<SourceFile> sources, string assemblyName = "TestProject") =>
        Run(CreateCompilation(sources, assemblyName), CreateDriver());

    /// <summary>Runs <paramref name="driver"/> (fresh or from an earlier run) over <paramref name="compilation"/>.</summary>
    public static GeneratorOutput Run(CSharpCompilation compilation, GeneratorDriver driver)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var sources = run.Results.SelectMany(r => r.GeneratedSources)
            .Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString().ReplaceLineEndings("\n")))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
        return new GeneratorOutput
        {
            InputCompilation = compilation,
            OutputCompilation = output,
            Driver = driver,
            RunResult = run,
            Sources = sources,
            GeneratorDiagnostics = generatorDiagnostics,
            CompilationDiagnostics = output.GetDiagnostics(),
        };
    }

    /// <summary>The sample app's contracts and stores, as copied next to the test assembly.</summary>
    public static IReadOnlyList<SourceFile> SampleSources()
    {
        var files = new List<SourceFile>();
        foreach (string folder in new[] { "SampleContracts", "SampleStores" })
        {
            foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.cs").OrderBy(p => p, StringComparer.Ordinal))
            {
                files.Add(new SourceFile(folder + "/" + Path.GetFileName(path), File.ReadAllText(path)));
            }
        }

        return files;
    }

    /// <summary>
    /// Runs the compilation's diagnostics through <see cref="CompiledValidationSuppressor"/> and any
    /// other <paramref name="analyzers"/>; returns every diagnostic, suppressed ones included (IsSuppressed).
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeWithSuppressorAsync(Compilation compilation, AnalyzerOptions? options, params DiagnosticAnalyzer[] analyzers)
    {
        var all = analyzers.Append(new CompiledValidationSuppressor()).ToImmutableArray();
        var withAnalyzers = compilation.WithAnalyzers(all, new CompilationWithAnalyzersOptions(
            options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true));
        return await withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None);
    }
}
