using System.Collections.Immutable;
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rampart.Generator.Model;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// The pipeline caches: edits that do not touch a contract leave every tracked step Cached or
/// Unchanged, and an edit to one contract regenerates that contract only.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] TrackedNames = { TrackingNames.Parse, TrackingNames.Diagnostics, TrackingNames.Models, TrackingNames.AllContracts };

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Rampart;

        """;

    private static SourceFile ContractA(int maxLength = 10) => new("A.cs", Usings + $$"""
        namespace App;

        [SecureEndpoint("POST", "/a", Permission = "a:write")]
        public sealed partial record CreateA
        {
            [MaxLength({{maxLength}})] public required string Name { get; init; }
            public Kind Kind { get; init; } = Kind.One;
            [MaxLength(3)] public List<Part>? Parts { get; init; }

            static NoContent Handle(CreateA request, Helper helper) => TypedResults.NoContent();
        }

        public enum Kind { One, Two }

        public sealed record Part
        {
            [Range(1, 5)] public required int Size { get; init; }
        }
        """);

    private static SourceFile ContractB(string handlerBody = "new(request.Id, \"b\")", int maxLength = 10) => new("B.cs", Usings + $$"""
        namespace App;

        [SecureEndpoint("GET", "/b/{id}", Permission = "b:read")]
        public sealed partial record GetB
        {
            public required int Id { get; init; }
            [MaxLength({{maxLength}})] public string? Filter { get; init; }

            static BView Handle(GetB request) => {{handlerBody}};
        }

        public sealed record BView(int Id, string Name);
        """);

    private static SourceFile Helper(string body = "1") => new("Helper.cs", $$"""
        namespace App;

        public sealed class Helper
        {
            public int Compute() => {{body}};
        }
        """);

    private static (GeneratorOutput First, GeneratorOutput Second) RunTwice(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = TestCompiler.CreateCompilation(new[] { ContractA(), ContractB(), Helper() });
        var first = TestCompiler.Run(compilation, TestCompiler.CreateDriver()).AssertNoGeneratorDiagnostics().AssertCompiles();
        var second = TestCompiler.Run(edit(compilation), first.Driver).AssertNoGeneratorDiagnostics().AssertCompiles();
        return (first, second);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, SourceFile file)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == file.Path);
        return compilation.ReplaceSyntaxTree(old, TestCompiler.Parse(file));
    }

    private static void AssertEverythingCached(GeneratorOutput first, GeneratorOutput second)
    {
        var result = second.RunResult.Results.Single();
        foreach (string name in TrackedNames)
        {
            // Contracts without diagnostics never reach the Diagnostics step (it feeds the only
            // output that needs the compilation), so in a clean project it has no entries at all.
            if (name == TrackingNames.Diagnostics)
            {
                Assert.False(result.TrackedSteps.ContainsKey(name), "clean contracts must not reach the Diagnostics step");
                continue;
            }

            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"step {name} was not tracked");
            var outputs = steps.SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {name} output {o.Value} was {o.Reason}"));
        }

        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void AddingAnUnrelatedFileKeepsEveryStepCached()
    {
        var (first, second) = RunTwice(c => c.AddSyntaxTrees(TestCompiler.Parse(new SourceFile("Other.cs", "namespace Other; public sealed class Unrelated { public int X { get; set; } }"))));
        AssertEverythingCached(first, second);
    }

    [Fact]
    public void EditingAMethodBodyInAnUnrelatedFileKeepsEveryStepCached()
    {
        var (first, second) = RunTwice(c => Replace(c, Helper("41 + 1")));
        AssertEverythingCached(first, second);
    }

    [Fact]
    public void EditingAHandlerBodyKeepsEveryStepCached()
    {
        var (first, second) = RunTwice(c => Replace(c, ContractB(handlerBody: "new(request.Id, request.Filter ?? \"b\")")));
        AssertEverythingCached(first, second);
    }

    [Fact]
    public void ChangingOneContractRegeneratesOnlyThatContract()
    {
        var (first, second) = RunTwice(c => Replace(c, ContractB(maxLength: 20)));
        var result = second.RunResult.Results.Single();

        var parse = result.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, parse.Count);
        Assert.Equal(IncrementalStepRunReason.Modified, parse.Single(o => ((ParseResult)o.Value).Model?.TypeName == "GetB").Reason);
        Assert.Contains(parse.Single(o => ((ParseResult)o.Value).Model?.TypeName == "CreateA").Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });

        var models = result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(IncrementalStepRunReason.Modified, models.Single(o => ((ContractModel)o.Value).TypeName == "GetB").Reason);
        Assert.Contains(models.Single(o => ((ContractModel)o.Value).TypeName == "CreateA").Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });

        // Source outputs: the edited contract and the map are regenerated, the other contract is not.
        var sourceSteps = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Contains(sourceSteps, o => o.Reason == IncrementalStepRunReason.Cached);

        Assert.Equal(first.Source("App.CreateA.g.cs"), second.Source("App.CreateA.g.cs"));
        Assert.NotEqual(first.Source("App.GetB.g.cs"), second.Source("App.GetB.g.cs"));
        Assert.Contains("raw3.Length > 20", second.Source("App.GetB.g.cs").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangingOneContractReportsOnlyThatContractsSourceOutputAsModified()
    {
        var (_, second) = RunTwice(c => Replace(c, ContractA(maxLength: 12)));
        var result = second.RunResult.Results.Single();
        var perContract = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .SelectMany(step => step.Inputs.Select(i => i.Source.Outputs[i.OutputIndex]).Zip(step.Outputs))
            .Where(pair => pair.First.Value is ContractModel)
            .ToList();
        Assert.Equal(2, perContract.Count);
        Assert.Equal(IncrementalStepRunReason.Modified, perContract.Single(p => ((ContractModel)p.First.Value).TypeName == "CreateA").Second.Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, perContract.Single(p => ((ContractModel)p.First.Value).TypeName == "GetB").Second.Reason);
    }

    [Fact]
    public void TrackedStepOutputsHoldNoRoslynObjects()
    {
        var (_, second) = RunTwice(c => c.AddSyntaxTrees(TestCompiler.Parse(new SourceFile("Other.cs", "namespace Other; class C { }"))));
        var result = second.RunResult.Results.Single();
        var offenders = new List<string>();
        foreach (string name in TrackedNames)
        {
            foreach (var output in result.TrackedSteps.GetValueOrDefault(name, ImmutableArray<IncrementalGeneratorRunStep>.Empty).SelectMany(s => s.Outputs))
            {
                ModelShapeTests.FindForbiddenObjects(output.Value, name, offenders, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }

        Assert.Empty(offenders);
    }
}
