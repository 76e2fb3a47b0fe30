using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Emitting;
using Rampart.Generator.Model;
using Rampart.Generator.Parsing;

namespace Rampart.Generator;

/// <summary>
/// Turns <c>[SecureEndpoint]</c> contracts into endpoints. Parsing produces value-equatable models,
/// Emitting turns a model into source text, and every failure is a numbered diagnostic.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RampartGenerator : IIncrementalGenerator
{
    /// <summary>The attribute that marks a contract.</summary>
    public const string AttributeName = "Rampart.SecureEndpointAttribute";

    /// <summary>The attribute that marks a generated store method.</summary>
    public const string SqlAttributeName = "Rampart.SqlAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeName, static (node, _) => node is TypeDeclarationSyntax, ContractParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        // Diagnostics are re-anchored in the compilation's syntax trees so that #pragma warning
        // disable applies to them. Only contracts that have diagnostics meet the compilation, so a
        // clean project keeps every output cached.
        var diagnostics = parsed
            .Where(static r => !r.Diagnostics.IsEmpty)
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
        {
            foreach (var d in pair.Left)
            {
                spc.ReportDiagnostic(ToDiagnostic(d, pair.Right));
            }
        });

        var models = parsed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(TrackingNames.Models);

        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model.HintName, SourceText.From(ContractEmitter.Emit(model), System.Text.Encoding.UTF8)));

        var all = models.Collect()
            .Select(static (items, _) => items.OrderBy(m => m.HttpMethod, StringComparer.Ordinal).ThenBy(m => m.Route, StringComparer.Ordinal).ThenBy(m => m.FullName, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.AllContracts);

        context.RegisterSourceOutput(all, static (spc, contracts) =>
        {
            var seen = new Dictionary<string, ContractModel>(StringComparer.OrdinalIgnoreCase);
            var mapped = new List<ContractModel>();
            foreach (var contract in contracts)
            {
                string key = contract.HttpMethod + " " + NormalizeRoute(contract.Route);
                if (seen.TryGetValue(key, out var first))
                {
                    spc.ReportDiagnostic(ToDiagnostic(new DiagnosticInfo(DiagnosticCatalogue.DuplicateRoute.Id, contract.Location,
                        new[] { contract.TypeName, contract.HttpMethod, contract.Route, first.TypeName }.ToEquatableArray()), compilation: null));
                    continue;
                }

                seen[key] = contract;
                mapped.Add(contract);
            }

            spc.AddSource(MapEmitter.HintName, SourceText.From(MapEmitter.Emit(mapped.ToEquatableArray()), System.Text.Encoding.UTF8));
        });

        InitializeStores(context);
    }

    // The second pipeline: [Sql] store methods, grouped into one generated file per store class.
    private static void InitializeStores(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(SqlAttributeName, static (node, _) => node is MethodDeclarationSyntax, SqlStoreParser.Parse)
            .WithTrackingName(TrackingNames.ParseStoreMethod);

        var diagnostics = methods
            .Where(static r => !r.Diagnostics.IsEmpty)
            .Select(static (r, _) => r.Diagnostics);
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
        {
            foreach (var d in pair.Left)
            {
                spc.ReportDiagnostic(ToDiagnostic(d, pair.Right));
            }
        });

        var stores = methods
            .Where(static r => r.Store is not null)
            .Collect()
            .SelectMany(static (items, _) => items
                .GroupBy(r => r.StoreKey!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.First().Store! with { Methods = g.Select(r => r.Method!).OrderBy(m => m.Name, StringComparer.Ordinal).ToEquatableArray() }))
            .WithTrackingName(TrackingNames.Stores);

        context.RegisterSourceOutput(stores, static (spc, store) => spc.AddSource(store.HintName, SourceText.From(StoreEmitter.Emit(store), System.Text.Encoding.UTF8)));
    }

    // Parameter names do not distinguish routes: /a/{id} and /a/{key} collide.
    private static string NormalizeRoute(string route)
    {
        var segments = route.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            if (segments[i].StartsWith("{", StringComparison.Ordinal))
            {
                segments[i] = "{}";
            }
        }

        return string.Join("/", segments);
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo info, Compilation? compilation)
    {
        Location location = Location.None;
        if (info.Location is { } l)
        {
            var tree = compilation?.SyntaxTrees.FirstOrDefault(t => t.FilePath == l.FilePath);
            location = tree is not null && l.Start + l.Length <= tree.Length
                ? Location.Create(tree, new TextSpan(l.Start, l.Length))
                : Location.Create(l.FilePath, new TextSpan(l.Start, l.Length), new LinePositionSpan(new LinePosition(l.StartLine, l.StartColumn), new LinePosition(l.EndLine, l.EndColumn)));
        }

        return Diagnostic.Create(DiagnosticCatalogue.Get(info.Id), location, info.Arguments.Cast<object>().ToArray());
    }
}

/// <summary>Names of the tracked pipeline steps, asserted by the incrementality tests.</summary>
public static class TrackingNames
{
    /// <summary>Contract parsing.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>Diagnostics of each contract that has any (clean contracts produce no output here).</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Models of contracts without errors.</summary>
    public const string Models = nameof(Models);

    /// <summary>All models, for the map and duplicate checks.</summary>
    public const string AllContracts = nameof(AllContracts);

    /// <summary>Parsing of one [Sql] store method.</summary>
    public const string ParseStoreMethod = nameof(ParseStoreMethod);

    /// <summary>Store models, one per store class.</summary>
    public const string Stores = nameof(Stores);
}
