using System;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>Every catalogue diagnostic: a source that triggers it where expected, and a near-identical one that does not.</summary>
public sealed class DiagnosticTests
{
    [Theory]
    [MemberData(nameof(DiagnosticCases.Parallel), MemberType = typeof(DiagnosticCases))]
    public void Triggers(string name) => AssertTriggers(DiagnosticCases.Get(name));

    [Theory]
    [MemberData(nameof(DiagnosticCases.Parallel), MemberType = typeof(DiagnosticCases))]
    public void DoesNotTrigger(string name) => AssertDoesNotTrigger(DiagnosticCases.Get(name));

    internal static void AssertTriggers(DiagnosticCase c)
    {
        var markup = Markup.Parse(DiagnosticCases.Usings + c.Trigger);
        Assert.True(markup.Span.HasValue, $"case {c.Name} marks no span");
        var output = TestCompiler.Run(new SourceFile("Case.cs", markup.Source));
        var descriptor = DiagnosticCatalogue.Get(c.Id);

        // RAMP0070… come from the analyzer shipped next to the generator, over the generated compilation.
        var reported = IsAnalyzerCase(c) ? AnalyzerDiagnostics(output) : output.GeneratorDiagnostics;
        Assert.True(reported.Length == 1 && reported[0].Id == c.Id,
            $"Expected exactly one {c.Id}, got:\n{Snapshot.DescribeDiagnostics(reported)}");
        var d = reported[0];
        Assert.Equal(descriptor.DefaultSeverity, d.Severity);
        Assert.Same(descriptor, d.Descriptor);

        var lineSpan = d.Location.GetLineSpan();
        Assert.Equal("Case.cs", lineSpan.Path);
        Assert.Equal(markup.Span!.Value, d.Location.SourceSpan);
        Assert.Equal(markup.Line, lineSpan.StartLinePosition.Line);
        Assert.Equal(markup.Column, lineSpan.StartLinePosition.Character);

        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("{0}", message, StringComparison.Ordinal);

        // An error means no endpoint for that contract (except a duplicate route, which only leaves it unmapped).
        if (d.Severity == DiagnosticSeverity.Error && c.Id is not "RAMP0010" && !IsAnalyzerCase(c))
        {
            Assert.Equal(new[] { "RampartEndpoints.g.cs" }, output.Sources.Select(s => s.HintName));
            Assert.Contains("Maps the 0 Rampart endpoint(s)", output.Source("RampartEndpoints.g.cs").Text, StringComparison.Ordinal);
        }
    }

    internal static void AssertDoesNotTrigger(DiagnosticCase c)
    {
        var output = TestCompiler.Run(new SourceFile("Case.cs", DiagnosticCases.Usings + c.NoTrigger));
        Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id == c.Id);
        Assert.DoesNotContain(AnalyzerDiagnostics(output), d => d.Id == c.Id);
        if (IsAnalyzerCase(c))
        {
            // A neighbour of RAMP0070 must not fall to RAMP0071 ("cannot prove") either: the analyzer reports nothing.
            Assert.Empty(AnalyzerDiagnostics(output));
        }
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        Assert.True(output.Sources.Length >= 2, "the near-identical contract must generate its endpoint");
    }

    private static bool IsAnalyzerCase(DiagnosticCase c) => string.CompareOrdinal(c.Id, "RAMP0070") >= 0;

    private static System.Collections.Immutable.ImmutableArray<Diagnostic> AnalyzerDiagnostics(GeneratorOutput output) =>
        output.OutputCompilation
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new Rampart.Generator.Analyzers.CommandTextAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    [Fact]
    public void EveryCatalogueIdHasTriggerAndNonTriggerCases()
    {
        var catalogue = DiagnosticCatalogue.All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var covered = DiagnosticCases.All.Select(c => c.Id).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(catalogue, covered);

        // Both theories together run every case exactly once.
        var names = DiagnosticCases.Parallel.Select(r => r.Data).Concat(DiagnosticCases.FailureSeam.Select(r => r.Data)).ToList();
        Assert.Equal(DiagnosticCases.All.Select(c => c.Name).OrderBy(x => x, StringComparer.Ordinal), names.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void CatalogueDescriptorsAreWellFormed()
    {
        // Ids are numbered without gaps inside each reserved block: contracts and authorization from
        // RAMP0001, data access from RAMP0040, analyzers for user code from RAMP0070.
        foreach (var block in new[] { 1, 40, 70 })
        {
            var ids = DiagnosticCatalogue.All.Select(d => int.Parse(d.Id.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture))
                .Where(n => n >= block && n < block + (block == 1 ? 39 : 30)).OrderBy(n => n).ToList();
            Assert.Equal(Enumerable.Range(block, ids.Count), ids);
        }
        Assert.Equal(DiagnosticCatalogue.All.Count, DiagnosticCatalogue.All.Select(d => d.Id).Distinct().Count());
        foreach (var d in DiagnosticCatalogue.All)
        {
            Assert.Matches(new Regex("^RAMP[0-9]{4}$"), d.Id);
            Assert.Equal("Rampart", d.Category);
            Assert.True(d.IsEnabledByDefault, d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)), d.Id);
            Assert.EndsWith("docs/diagnostics.md#" + d.Id.ToLowerInvariant(), d.HelpLinkUri, StringComparison.Ordinal);
            Assert.Same(d, DiagnosticCatalogue.Get(d.Id));
            var expected = d.Id is "RAMP0016" or "RAMP0022" or "RAMP0046" or "RAMP0047" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            Assert.Equal(expected, d.DefaultSeverity);
        }
    }
}
