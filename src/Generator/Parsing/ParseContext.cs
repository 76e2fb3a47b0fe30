using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>State gathered while parsing one contract: diagnostics and the types it reaches.</summary>
internal sealed class ParseContext
{
    public ParseContext(Compilation compilation, INamedTypeSymbol contract)
    {
        Compilation = compilation;
        Contract = contract;
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol Contract { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public Dictionary<string, ObjectModel?> RequestObjects { get; } = new();

    public Dictionary<string, ObjectModel?> ResponseObjects { get; } = new();

    public Dictionary<string, EnumModel> Enums { get; } = new();

    public List<PatternModel> Patterns { get; } = new();

    public bool HasErrors => Diagnostics.Any(d => DiagnosticCatalogue.Get(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

    public void Report(DiagnosticDescriptor descriptor, ISymbol? symbol, params string[] args) =>
        Report(descriptor, symbol?.Locations.FirstOrDefault(l => l.IsInSource), args);

    public void Report(DiagnosticDescriptor descriptor, Location? location, params string[] args) =>
        Diagnostics.Add(new DiagnosticInfo(descriptor.Id, ToInfo(location), args.ToEquatableArray()));

    public static LocationInfo? ToInfo(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return null;
        }

        var span = location.GetLineSpan();
        return new LocationInfo(
            location.SourceTree!.FilePath,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            span.StartLinePosition.Line,
            span.StartLinePosition.Character,
            span.EndLinePosition.Line,
            span.EndLinePosition.Character);
    }

    public int AddPattern(PatternModel pattern)
    {
        int index = Patterns.IndexOf(pattern);
        if (index >= 0)
        {
            return index;
        }

        Patterns.Add(pattern);
        return Patterns.Count - 1;
    }
}
