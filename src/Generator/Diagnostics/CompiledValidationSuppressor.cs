using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Rampart.Generator.Parsing;

namespace Rampart.Generator.Diagnostics;

/// <summary>
/// <c>[MinLength]</c>, <c>[MaxLength]</c> and <c>[Length]</c> carry <c>RequiresUnreferencedCode</c> because
/// their <c>IsValid</c> reads <c>Count</c> by reflection. On the members of Rampart contracts (and the
/// types they reach) the attributes are compiled into straight-line code and never evaluated, so the
/// trim warning IL2026 there is a false alarm; elsewhere it is left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CompiledValidationSuppressor : DiagnosticSuppressor
{
    private static readonly SuppressionDescriptor Rule = new(
        "RAMPS001",
        "IL2026",
        "Rampart compiles this validation attribute into generated code and never evaluates it by reflection.");

    private static readonly HashSet<string> Attributes = new()
    {
        "System.ComponentModel.DataAnnotations.MinLengthAttribute",
        "System.ComponentModel.DataAnnotations.MaxLengthAttribute",
        "System.ComponentModel.DataAnnotations.LengthAttribute",
    };

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(Rule);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        HashSet<ITypeSymbol>? compiled = null;
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                continue;
            }

            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var attribute = node.AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
            var member = attribute?.Parent?.Parent;
            if (attribute is null || member is null)
            {
                continue;
            }

            var model = context.GetSemanticModel(tree);
            var attributeType = model.GetTypeInfo(attribute, context.CancellationToken).Type;
            if (attributeType is null || !Attributes.Contains(attributeType.ToDisplayString()))
            {
                continue;
            }

            var owner = (model.GetDeclaredSymbol(member, context.CancellationToken) as ISymbol)?.ContainingType;
            compiled ??= CompiledTypes(context.Compilation);
            if (owner is not null && compiled.Contains(owner))
            {
                context.ReportSuppression(Suppression.Create(Rule, diagnostic));
            }
        }
    }

    // Contracts and every type their members reach.
    private static HashSet<ITypeSymbol> CompiledTypes(Compilation compilation)
    {
        var result = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ITypeSymbol>();
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace))
        {
            if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == RampartGenerator.AttributeName))
            {
                pending.Push(type);
            }
        }

        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (type is not INamedTypeSymbol named || !result.Add(named))
            {
                continue;
            }

            foreach (var property in TypeAnalyzer.Properties(named))
            {
                foreach (var reached in Unwrap(property.Type))
                {
                    if (reached.Locations.Any(l => l.IsInSource))
                    {
                        pending.Push(reached);
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<ITypeSymbol> Unwrap(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return Unwrap(array.ElementType);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            return generic.TypeArguments.SelectMany(Unwrap);
        }

        return new[] { type };
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers())
        {
            foreach (var nested in Nested(type))
            {
                yield return nested;
            }
        }

        foreach (var child in ns.GetNamespaceMembers())
        {
            foreach (var type in AllTypes(child))
            {
                yield return type;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type)
    {
        yield return type;
        foreach (var inner in type.GetTypeMembers().SelectMany(Nested))
        {
            yield return inner;
        }
    }
}
