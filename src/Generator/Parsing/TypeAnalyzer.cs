using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>Maps member types to <see cref="TypeRef"/>s and the objects and enums they reach.</summary>
internal static class TypeAnalyzer
{
    /// <summary>Analyzes <paramref name="type"/>; returns null when it cannot be bound or written.</summary>
    public static TypeRef? Analyze(ParseContext context, ITypeSymbol type, bool forRequest)
    {
        bool nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapped)
        {
            nullable = true;
            type = wrapped.TypeArguments[0];
        }
        else if (!type.IsValueType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            nullable = true;
        }

        string fullName = Names.Qualified(type);
        TypeRef Scalar(ValueKind kind) => new(kind, fullName, nullable, type.IsValueType, CollectionShape.None, null, null, false);

        switch (type.SpecialType)
        {
            case SpecialType.System_String: return Scalar(ValueKind.String);
            case SpecialType.System_Boolean: return Scalar(ValueKind.Boolean);
            case SpecialType.System_Int32: return Scalar(ValueKind.Int32);
            case SpecialType.System_Int64: return Scalar(ValueKind.Int64);
            case SpecialType.System_Decimal: return Scalar(ValueKind.Decimal);
            case SpecialType.System_Double: return Scalar(ValueKind.Double);
        }

        if (fullName == "global::System.Guid")
        {
            return Scalar(ValueKind.Guid);
        }

        if (fullName == "global::System.DateTimeOffset")
        {
            return Scalar(ValueKind.DateTimeOffset);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            string id = Names.Identifier(type);
            if (!context.Enums.ContainsKey(id))
            {
                var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).ToList();
                context.Enums[id] = new EnumModel(
                    id,
                    fullName,
                    fields.Select(f => f.Name).ToEquatableArray(),
                    fields.Select(f => System.Convert.ToString(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToEquatableArray());
            }

            return new TypeRef(ValueKind.Enum, fullName, nullable, true, CollectionShape.None, null, id, false);
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            var element = Analyze(context, array.ElementType, forRequest);
            return element is null || element.Kind == ValueKind.Collection ? null
                : new TypeRef(ValueKind.Collection, fullName, nullable, false, CollectionShape.Array, element, null, true);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic)
        {
            string definition = generic.OriginalDefinition.ToDisplayString();
            CollectionShape shape = definition switch
            {
                "System.Collections.Generic.List<T>" => CollectionShape.List,
                "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IList<T>" or
                "System.Collections.Generic.ICollection<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" or
                "System.Collections.Generic.IEnumerable<T>" => CollectionShape.ReadOnlyInterface,
                _ => CollectionShape.None,
            };
            if (shape != CollectionShape.None)
            {
                var element = Analyze(context, generic.TypeArguments[0], forRequest);
                return element is null || element.Kind == ValueKind.Collection ? null
                    : new TypeRef(ValueKind.Collection, fullName, nullable, false, shape, element, null, false);
            }
        }

        if (type is INamedTypeSymbol named && IsPlainObject(named))
        {
            string id = Names.Identifier(named);
            var objects = forRequest ? context.RequestObjects : context.ResponseObjects;
            if (!objects.ContainsKey(id))
            {
                objects[id] = null; // guards recursion
                objects[id] = forRequest ? AnalyzeRequestObject(context, named, id, isContract: false) : AnalyzeResponseObject(context, named, id);
            }

            return new TypeRef(ValueKind.Object, fullName, nullable, named.IsValueType, CollectionShape.None, null, id, false);
        }

        return null;
    }

    /// <summary>A user record or class Rampart can read or write member by member.</summary>
    internal static bool IsPlainObject(INamedTypeSymbol type) =>
        type.TypeKind is TypeKind.Class or TypeKind.Struct
        && !type.IsAbstract
        && !type.IsGenericType
        && type.SpecialType == SpecialType.None
        && !type.ContainingNamespace.ToDisplayString().StartsWith("System", System.StringComparison.Ordinal)
        && !type.ContainingNamespace.ToDisplayString().StartsWith("Microsoft", System.StringComparison.Ordinal);

    /// <summary>Public instance properties, base types first, without indexers or EqualityContract.</summary>
    public static IEnumerable<IPropertySymbol> Properties(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var seen = new HashSet<string>();
        foreach (var t in chain)
        {
            foreach (var p in t.GetMembers().OfType<IPropertySymbol>())
            {
                if (!p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && p.GetMethod is not null && seen.Add(p.Name))
                {
                    yield return p;
                }
            }
        }
    }

    /// <summary>A readable object for responses: every public property with a getter.</summary>
    private static ObjectModel? AnalyzeResponseObject(ParseContext context, INamedTypeSymbol type, string id)
    {
        var members = new List<MemberModel>();
        foreach (var p in Properties(type))
        {
            if (HasAttribute(p, "System.Text.Json.Serialization.JsonIgnoreAttribute"))
            {
                continue;
            }

            var typeRef = Analyze(context, p.Type, forRequest: false);
            if (typeRef is null)
            {
                context.Report(DiagnosticCatalogue.UnsupportedMemberType, p, p.Name, type.Name, p.Type.ToDisplayString(), "in a response");
                continue;
            }

            members.Add(new MemberModel(p.Name, JsonName(p), typeRef, MemberSource.Body, false, null, -1, null, EquatableArray<RuleModel>.Empty, null));
        }

        return new ObjectModel(id, Names.Qualified(type), members.ToEquatableArray(), false, type.IsValueType);
    }

    /// <summary>
    /// A bindable object: settable/init properties, or constructor parameters of a positional record.
    /// Route and query sources are assigned by the caller for the contract itself.
    /// </summary>
    public static ObjectModel? AnalyzeRequestObject(ParseContext context, INamedTypeSymbol type, string id, bool isContract, IReadOnlyDictionary<string, MemberSource>? sources = null)
    {
        IMethodSymbol? constructor = ChooseConstructor(type);
        if (constructor is null)
        {
            context.Report(DiagnosticCatalogue.UnsupportedMemberType, type, type.Name, type.Name, type.ToDisplayString(), "(it needs a public parameterless constructor or one whose parameters match its properties)");
            return null;
        }

        var members = new List<MemberModel>();
        foreach (var p in Properties(type))
        {
            int ctorIndex = -1;
            IParameterSymbol? parameter = null;
            for (int i = 0; i < constructor.Parameters.Length; i++)
            {
                if (string.Equals(constructor.Parameters[i].Name, p.Name, System.StringComparison.OrdinalIgnoreCase))
                {
                    ctorIndex = i;
                    parameter = constructor.Parameters[i];
                }
            }

            bool settable = p.SetMethod is { DeclaredAccessibility: Accessibility.Public };
            if (ctorIndex < 0 && !settable)
            {
                continue; // computed or read-only: not part of the wire contract
            }

            if (HasAttribute(p, "System.Text.Json.Serialization.JsonIgnoreAttribute"))
            {
                continue;
            }

            MemberSource source = sources is not null && sources.TryGetValue(p.Name, out var s) ? s : MemberSource.Body;
            if (Names.Qualified(p.Type) == HandlerParser.OwnerIdType)
            {
                // The owner is the authenticated caller: the contract parser marks such members (or has
                // reported why it could not); anywhere else an OwnerId would have to come from JSON.
                if (source != MemberSource.Caller)
                {
                    context.Report(DiagnosticCatalogue.UnsupportedMemberType, p, p.Name, type.Name, p.Type.ToDisplayString(), "inside a nested object (an OwnerId is a member of the contract itself, bound from the authenticated caller)");
                    continue;
                }

                var owner = new TypeRef(ValueKind.OwnerId, HandlerParser.OwnerIdType, false, true, CollectionShape.None, null, null, false);
                members.Add(new MemberModel(p.Name, JsonName(p), owner, MemberSource.Caller, true, null, ctorIndex, null, EquatableArray<RuleModel>.Empty, null));
                continue;
            }

            var typeRef = Analyze(context, p.Type, forRequest: true);
            if (typeRef is null)
            {
                context.Report(DiagnosticCatalogue.UnsupportedMemberType, p, p.Name, type.Name, p.Type.ToDisplayString(), "from a request");
                continue;
            }

            if (source == MemberSource.Route && (typeRef.IsNullable || typeRef.Kind is not (ValueKind.String or ValueKind.Int32 or ValueKind.Int64 or ValueKind.Guid)))
            {
                context.Report(DiagnosticCatalogue.UnsupportedMemberType, p, p.Name, type.Name, p.Type.ToDisplayString(), "as a route value (use a non-nullable string, int, long or Guid)");
                continue;
            }

            if (source == MemberSource.Query && typeRef.Kind is ValueKind.Object or ValueKind.Collection)
            {
                context.Report(DiagnosticCatalogue.UnsupportedMemberType, p, p.Name, type.Name, p.Type.ToDisplayString(), "from the query string (use a scalar type)");
                continue;
            }

            var attributes = p.GetAttributes().AddRange(parameter?.GetAttributes() ?? System.Collections.Immutable.ImmutableArray<AttributeData>.Empty);
            string jsonName = source == MemberSource.Query ? QueryName(p, attributes) : JsonName(p);
            var rules = ValidationParser.Parse(context, p, typeRef, jsonName, attributes, out int? maxLength, out bool requiredAttribute);

            bool hasInitializer = TryGetInitializer(context, p, out string? defaultLiteral, out bool constant);
            if (parameter is { HasExplicitDefaultValue: true })
            {
                hasInitializer = true;
                constant = true;
                defaultLiteral = Literals.Format(parameter.ExplicitDefaultValue, parameter.Type);
            }

            bool nonNullable = !typeRef.IsNullable;
            bool required = source == MemberSource.Route || p.IsRequired || requiredAttribute || (nonNullable && !hasInitializer);
            if (!required && hasInitializer && !constant)
            {
                context.Report(DiagnosticCatalogue.NonConstantDefault, p, p.Name, type.Name);
            }

            if (maxLength is null && source != MemberSource.Route && typeRef.Kind is ValueKind.String or ValueKind.Collection)
            {
                context.Report(DiagnosticCatalogue.UnboundedMember, p, jsonName, type.Name, typeRef.Kind == ValueKind.String ? "MaxStringLength" : "MaxCollectionLength");
            }

            string? classification = Classify(attributes);
            if (classification is null && (SecretNames.LooksSecret(p.Name) || SecretNames.LooksSecret(jsonName)))
            {
                // Redacted all the same; the warning asks for the classification to be stated.
                context.Report(DiagnosticCatalogue.UnclassifiedSecret, p, p.Name, type.Name);
                classification = RampartClassification;
            }

            members.Add(new MemberModel(p.Name, jsonName, typeRef, source, required, required ? null : defaultLiteral, ctorIndex, maxLength, rules, classification));
        }

        return new ObjectModel(id, Names.Qualified(type), members.ToEquatableArray(), constructor.Parameters.Length > 0, type.IsValueType);
    }

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(c, type)).ToList();
        var parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
        if (parameterless is not null)
        {
            return parameterless;
        }

        var propertyNames = new HashSet<string>(Properties(type).Select(p => p.Name), System.StringComparer.OrdinalIgnoreCase);
        return constructors
            .Where(c => c.Parameters.All(p => propertyNames.Contains(p.Name) && p.RefKind == RefKind.None))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
    }

    private static bool IsCopyConstructor(IMethodSymbol c, INamedTypeSymbol type) =>
        c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type);

    private static bool TryGetInitializer(ParseContext context, IPropertySymbol property, out string? literal, out bool constant)
    {
        literal = null;
        constant = false;
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is PropertyDeclarationSyntax { Initializer: { } initializer })
            {
                if (initializer.Value is CollectionExpressionSyntax { Elements.Count: 0 })
                {
                    // `= []` is an empty collection of the member's type.
                    literal = "[]";
                    constant = true;
                    return true;
                }

#pragma warning disable RS1030 // The initializer may live in another tree than the contract; this model is only used at parse time.
                var model = context.Compilation.GetSemanticModel(initializer.SyntaxTree);
#pragma warning restore RS1030
                var value = model.GetConstantValue(initializer.Value);
                if (value.HasValue)
                {
                    literal = Literals.Format(value.Value, property.Type);
                    constant = literal is not null;
                }
                else if (model.GetOperation(initializer.Value) is { Kind: Microsoft.CodeAnalysis.OperationKind.DefaultValue } or { Kind: Microsoft.CodeAnalysis.OperationKind.Conversion, ConstantValue.HasValue: true })
                {
                    literal = "default";
                    constant = true;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>The classification of <c>[Sensitive]</c> (RampartTaxonomy.Sensitive).</summary>
    public const string RampartClassification = "Rampart";

    private static string? Classify(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            for (var t = attribute.AttributeClass; t is not null; t = t.BaseType)
            {
                if (t.ToDisplayString() != "Microsoft.Extensions.Compliance.Classification.DataClassificationAttribute")
                {
                    continue;
                }

                var type = attribute.AttributeClass!;
                if (type.ToDisplayString() == "Rampart.SensitiveAttribute")
                {
                    return RampartClassification;
                }

                // Another classification: resolved at run time through its parameterless constructor;
                // one that needs arguments is treated as Rampart's Sensitive (never logged as is).
                return type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public)
                    ? Names.Qualified(type)
                    : RampartClassification;
            }
        }

        return null;
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

    private static string JsonName(IPropertySymbol p)
    {
        var attribute = p.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonPropertyNameAttribute");
        return attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? Names.CamelCase(p.Name);
    }

    private static string QueryName(IPropertySymbol p, System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        var fromQuery = attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Microsoft.AspNetCore.Mvc.FromQueryAttribute");
        var name = fromQuery?.NamedArguments.FirstOrDefault(n => n.Key == "Name").Value.Value as string;
        return name ?? JsonName(p);
    }
}
