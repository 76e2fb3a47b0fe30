using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>Reads one <c>[Sql]</c> method into a <see cref="StoreMethodModel"/>, checking every data-access rule.</summary>
internal static class SqlStoreParser
{
    private const string OwnerIdType = "global::Rampart.OwnerId";
    private const string OwnerScopedAttribute = "Rampart.OwnerScopedAttribute";

    private static readonly SymbolDisplayFormat Signature = Names.FullyQualified
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static StoreMethodResult Parse(GeneratorAttributeSyntaxContext source, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)source.TargetSymbol;
        var store = method.ContainingType;
        var context = new ParseContext(source.SemanticModel.Compilation, store);
        try
        {
            var (shell, model) = ParseCore(context, source, method, store, cancellationToken);
            bool ok = !context.HasErrors && shell is not null && model is not null;
            return new StoreMethodResult(ok ? shell!.HintName : null, ok ? shell : null, ok ? model : null, context.Diagnostics.ToEquatableArray());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Report(DiagnosticCatalogue.GeneratorFailure, method, store.Name + "." + method.Name, ex.GetType().Name + ": " + ex.Message);
            return new StoreMethodResult(null, null, null, context.Diagnostics.ToEquatableArray());
        }
    }

    private static (StoreModel? Store, StoreMethodModel? Method) ParseCore(ParseContext context, GeneratorAttributeSyntaxContext source, IMethodSymbol method, INamedTypeSymbol store, CancellationToken cancellationToken)
    {
        var syntax = (MethodDeclarationSyntax)source.TargetNode;
        var methodLocation = syntax.Identifier.GetLocation();
        string display = store.Name + "." + method.Name;

        // The method and every type around it must be partial; the method is an instance method without a body.
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            context.Report(DataAccessDiagnostics.StoreNotPartial, methodLocation, display, "declared 'partial' without a body");
            return (null, null);
        }

        if (method.IsStatic || method.IsGenericMethod)
        {
            context.Report(DataAccessDiagnostics.StoreNotPartial, methodLocation, display, "a non-generic instance method");
            return (null, null);
        }

        var containers = new List<ContainingType>();
        string keyword = "class";
        bool first = true;
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword) || parent.TypeParameterList is not null
                || (first && parent is not (ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: 0 })))
            {
                context.Report(DataAccessDiagnostics.StoreNotPartial, methodLocation, display,
                    $"declared in a non-generic 'partial class' ('{parent.Identifier.Text}' is not)");
                return (null, null);
            }

            string kw = parent is RecordDeclarationSyntax r ? "record" + (r.ClassOrStructKeyword.RawKind == 0 ? string.Empty : " " + r.ClassOrStructKeyword.Text) : parent.Keyword.Text;
            if (first)
            {
                keyword = kw;
                first = false;
            }
            else
            {
                containers.Insert(0, new ContainingType(kw, parent.Identifier.Text));
            }
        }

        // The generated constructor takes the database; a declared one would compete with it.
        foreach (var reference in store.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                && (declaration.ParameterList is not null || declaration.Members.OfType<ConstructorDeclarationSyntax>().Any(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword))))
            {
                context.Report(DataAccessDiagnostics.StoreDeclaresConstructor, methodLocation, store.Name);
                return (null, null);
            }
        }

        var attribute = source.Attributes[0];
        var sqlLocation = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? methodLocation;
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string sql || string.IsNullOrWhiteSpace(sql))
        {
            context.Report(DataAccessDiagnostics.InvalidSql, sqlLocation, display, "the statement is empty");
            return (null, null);
        }

        var text = SqlText.Read(sql);
        if (text.Error is not null)
        {
            context.Report(DataAccessDiagnostics.InvalidSql, sqlLocation, display, text.Error);
            return (null, null);
        }

        // Parameters: each is the cancellation token or a bindable value.
        var parameters = new List<StoreParameter>();
        var values = new Dictionary<string, (IParameterSymbol Symbol, SqlValueKind Kind, bool Nullable)>(StringComparer.Ordinal);
        string? cancellation = null;
        bool stream = IsAsyncEnumerable(method.ReturnType);
        foreach (var p in method.Parameters)
        {
            string prefix = string.Empty;
            if (p.Type.ToDisplayString() == "System.Threading.CancellationToken" && cancellation is null)
            {
                cancellation = p.Name;
                if (stream && !p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.EnumeratorCancellationAttribute"))
                {
                    prefix = "[global::System.Runtime.CompilerServices.EnumeratorCancellation] ";
                }
            }
            else if (p.RefKind != RefKind.None || p.IsParams || ValueKind(p.Type, allowOwner: true) is not { } kind)
            {
                context.Report(DataAccessDiagnostics.UnsupportedSqlType, p, "The parameter", p.Name, display, p.Type.ToDisplayString());
                continue;
            }
            else
            {
                values[p.Name] = (p, kind.Kind, kind.Nullable);
            }

            parameters.Add(new StoreParameter(p.Name, prefix + p.Type.ToDisplayString(Signature)));
        }

        // Placeholders ⇄ parameters, both ways.
        var bindings = new List<SqlBinding>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placeholder in text.Placeholders)
        {
            if (!values.TryGetValue(placeholder.Name, out var value))
            {
                if (!method.Parameters.Any(p => p.Name == placeholder.Name))
                {
                    context.Report(DataAccessDiagnostics.PlaceholderWithoutParameter, sqlLocation, placeholder.Name, display);
                }

                continue;
            }

            if (used.Add(placeholder.Name))
            {
                bindings.Add(new SqlBinding("@" + placeholder.Name, placeholder.Name, value.Kind, value.Nullable));
            }
        }

        foreach (var pair in values)
        {
            if (!used.Contains(pair.Key))
            {
                context.Report(DataAccessDiagnostics.UnusedParameter, pair.Value.Symbol, pair.Key, display);
            }
        }

        // Statements that change every row are allowed, but said out loud.
        if (text.Verb is "UPDATE" or "DELETE" && text.WhereClause() is null)
        {
            context.Report(DataAccessDiagnostics.MissingWhere, sqlLocation, text.Verb, display);
        }

        // Owner scoping: every row the statement reads or writes must be proven to be the caller's.
        var ownerScope = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OwnerScopedAttribute)
            ?? store.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OwnerScopedAttribute);
        if (ownerScope is not null)
        {
            string column = AttributeArguments.Named(ownerScope, "Column") as string ?? "owner_id";
            var owners = values.Where(v => v.Value.Kind == SqlValueKind.OwnerId).Select(v => v.Key).ToList();
            string? problem = owners.Count == 0
                ? "takes no OwnerId parameter; add one and compare it to " + column
                : OwnerScopeCheck.Explain(text, column, owners, NamedList(ownerScope, "SharedTables"), NamedList(ownerScope, "AllowedFunctions"));
            if (problem is not null)
            {
                context.Report(DataAccessDiagnostics.OwnerFilterMissing, methodLocation, display, problem);
            }
        }

        var (shape, row, scalar, scalarNullable) = ReturnShape(context, method, display, text, sqlLocation);
        if (context.HasErrors)
        {
            return (null, null);
        }

        string modifiers = SyntaxFacts.GetText(method.DeclaredAccessibility);
        string ns = store.ContainingNamespace.IsGlobalNamespace ? string.Empty : store.ContainingNamespace.ToDisplayString();
        string hint = (ns.Length > 0 ? ns + "." : string.Empty) + string.Join(".", containers.Select(c => c.Name).Append(store.Name)) + ".Store.g.cs";
        var shell = new StoreModel(ns, containers.ToEquatableArray(), keyword, store.Name, hint, EquatableArray<StoreMethodModel>.Empty);
        var model = new StoreMethodModel(method.Name, modifiers, method.ReturnType.ToDisplayString(Signature), shape, sql,
            parameters.ToEquatableArray(), bindings.ToEquatableArray(), cancellation, row, scalar, scalarNullable, ownerScope is not null);
        return (shell, model);
    }

    private static (StoreReturnShape Shape, RowModel? Row, SqlColumn? Scalar, bool ScalarNullable) ReturnShape(
        ParseContext context, IMethodSymbol method, string display, SqlText text, Location sqlLocation)
    {
        var returnType = method.ReturnType;
        string shown = returnType.ToDisplayString();
        const string Supported = "return Task<int> (rows affected), Task<T?> (one row), Task<IReadOnlyList<T>>, IAsyncEnumerable<T> or Task<S> for a scalar S";
        var none = (StoreReturnShape.RowsAffected, (RowModel?)null, (SqlColumn?)null, false);

        ITypeSymbol? element;
        if (IsAsyncEnumerable(returnType))
        {
            element = ((INamedTypeSymbol)returnType).TypeArguments[0];
            if (!text.IsQuery)
            {
                context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, shown, "a statement without a result set returns Task<int> (rows affected)");
                return none;
            }

            var streamRow = Row(context, method, display, element, text, sqlLocation);
            return (StoreReturnShape.Stream, streamRow, null, false);
        }

        if (returnType is not INamedTypeSymbol { IsGenericType: true } task || task.ConstructedFrom.ToDisplayString() != "System.Threading.Tasks.Task<TResult>")
        {
            context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, shown, Supported);
            return none;
        }

        var result = task.TypeArguments[0];
        if (!text.IsQuery)
        {
            if (result.SpecialType != SpecialType.System_Int32)
            {
                context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, shown, "a statement without a result set returns Task<int> (rows affected)");
            }

            return none;
        }

        if (result is INamedTypeSymbol { IsGenericType: true } list && list.ConstructedFrom.ToDisplayString() == "System.Collections.Generic.IReadOnlyList<T>")
        {
            return (StoreReturnShape.List, Row(context, method, display, list.TypeArguments[0], text, sqlLocation), null, false);
        }

        if (ValueKind(result, allowOwner: false) is { } scalar)
        {
            var items = text.ResultList() is { } l ? SqlText.SplitTopLevel(l) : new List<string>();
            if (items.Count != 1 || items[0] == "*")
            {
                context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, shown, "a scalar result needs exactly one selected column");
                return none;
            }

            string name = SqlText.ResultName(items[0]) ?? "value";
            return (StoreReturnShape.Scalar, null, new SqlColumn(name, name, 0, scalar.Kind, scalar.Nullable, Names.Qualified(result), -1), scalar.Nullable);
        }

        if (result.NullableAnnotation != NullableAnnotation.Annotated || result.IsValueType)
        {
            context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, shown, "a single row is returned as Task<T?>: null when no row matches");
            return none;
        }

        return (StoreReturnShape.SingleRow, Row(context, method, display, result, text, sqlLocation), null, false);
    }

    private static RowModel? Row(ParseContext context, IMethodSymbol method, string display, ITypeSymbol type, SqlText text, Location sqlLocation)
    {
        string typeName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
        if (type is not INamedTypeSymbol named || named.IsAbstract || named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.SpecialType != SpecialType.None || ValueKind(type, allowOwner: true) is not null)
        {
            context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, method.ReturnType.ToDisplayString(),
                $"the row type '{typeName}' must be a non-abstract class, record or struct");
            return null;
        }

        // The widest public constructor (a positional record's primary one), then settable properties.
        var constructor = named.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public)
            .OrderByDescending(c => c.Parameters.Length).FirstOrDefault(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, named)));
        if (constructor is null)
        {
            context.Report(DataAccessDiagnostics.UnsupportedStoreReturnType, method, display, method.ReturnType.ToDisplayString(), $"the row type '{typeName}' has no public constructor");
            return null;
        }

        var properties = named.GetMembers().OfType<IPropertySymbol>()
            .Where(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public && p.SetMethod is { DeclaredAccessibility: Accessibility.Public } && !p.IsIndexer)
            .ToList();
        var constructorParameters = constructor.Parameters;
        var required = properties.Where(p => p.IsRequired).ToList();

        var list = text.ResultList();
        if (list is null)
        {
            context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, typeName, "no column list was found to map");
            return null;
        }

        var items = SqlText.SplitTopLevel(list);
        var columns = new List<SqlColumn>();
        if (items.Any(i => i == "*" || i.EndsWith(".*", StringComparison.Ordinal)))
        {
            // SELECT *: the columns are found by name (snake_case of the member) when the query runs.
            context.Report(DataAccessDiagnostics.SelectStar, sqlLocation, display);
            for (int i = 0; i < constructorParameters.Length; i++)
            {
                var p = constructorParameters[i];
                if (!AddColumn(context, display, columns, SqlText.SnakeCase(p.Name), p.Name, p.Type, i, p))
                {
                    return null;
                }
            }

            foreach (var p in required)
            {
                if (!AddColumn(context, display, columns, SqlText.SnakeCase(p.Name), p.Name, p.Type, -1, p))
                {
                    return null;
                }
            }

            return new RowModel(Names.Qualified(type), columns.ToEquatableArray(), ByName: true);
        }

        for (int i = 0; i < items.Count; i++)
        {
            string? name = SqlText.ResultName(items[i]);
            if (name is null)
            {
                context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, typeName,
                    $"the column '{items[i].Trim()}' has no name; give it one with AS");
                return null;
            }

            string key = SqlText.Normalize(name);
            int index = constructorParameters.IndexOf(constructorParameters.FirstOrDefault(p => SqlText.Normalize(p.Name) == key)!);
            if (index >= 0)
            {
                if (!AddColumn(context, display, columns, name, constructorParameters[index].Name, constructorParameters[index].Type, index, constructorParameters[index], i))
                {
                    return null;
                }

                continue;
            }

            var property = properties.FirstOrDefault(p => SqlText.Normalize(p.Name) == key);
            if (property is null)
            {
                context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, typeName,
                    $"the column '{name}' has no constructor parameter or settable property of that name");
                return null;
            }

            if (!AddColumn(context, display, columns, name, property.Name, property.Type, -1, property, i))
            {
                return null;
            }
        }

        foreach (var p in constructorParameters)
        {
            if (!columns.Any(c => c.ConstructorIndex >= 0 && c.MemberName == p.Name))
            {
                context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, typeName, $"no column is selected for the constructor parameter '{p.Name}'");
                return null;
            }
        }

        foreach (var p in required)
        {
            if (!columns.Any(c => c.ConstructorIndex < 0 && c.MemberName == p.Name))
            {
                context.Report(DataAccessDiagnostics.ColumnMismatch, sqlLocation, display, typeName, $"no column is selected for the required property '{p.Name}'");
                return null;
            }
        }

        return new RowModel(Names.Qualified(type), columns.ToEquatableArray(), ByName: false);
    }

    private static bool AddColumn(ParseContext context, string display, List<SqlColumn> columns, string column, string member, ITypeSymbol type, int constructorIndex, ISymbol symbol, int ordinal = -1)
    {
        if (ValueKind(type, allowOwner: false) is not { } kind)
        {
            context.Report(DataAccessDiagnostics.UnsupportedSqlType, symbol, "The member", member, display, type.ToDisplayString());
            return false;
        }

        columns.Add(new SqlColumn(column, member, ordinal < 0 ? columns.Count : ordinal, kind.Kind, kind.Nullable, type.ToDisplayString(Signature), constructorIndex));
        return true;
    }

    /// <summary>The names in <c>[OwnerScoped(SharedTables = new[] { … })]</c> or <c>AllowedFunctions</c>.</summary>
    private static List<string> NamedList(AttributeData ownerScope, string property)
    {
        var names = new List<string>();
        foreach (var pair in ownerScope.NamedArguments)
        {
            if (pair.Key == property && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                names.AddRange(pair.Value.Values.Select(v => v.Value as string).Where(v => !string.IsNullOrWhiteSpace(v))!);
            }
        }

        return names;
    }

    private static bool IsAsyncEnumerable(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.ConstructedFrom.ToDisplayString() == "System.Collections.Generic.IAsyncEnumerable<T>";

    /// <summary>The SQL value kind of <paramref name="type"/>, or null when it is not bindable.</summary>
    internal static (SqlValueKind Kind, bool Nullable)? ValueKind(ITypeSymbol type, bool allowOwner)
    {
        bool nullable = type.NullableAnnotation == NullableAnnotation.Annotated && !type.IsValueType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n)
        {
            type = n.TypeArguments[0];
            nullable = true;
        }

        SqlValueKind? kind = type.SpecialType switch
        {
            SpecialType.System_String => SqlValueKind.String,
            SpecialType.System_Boolean => SqlValueKind.Boolean,
            SpecialType.System_Int16 => SqlValueKind.Int16,
            SpecialType.System_Int32 => SqlValueKind.Int32,
            SpecialType.System_Int64 => SqlValueKind.Int64,
            SpecialType.System_Double => SqlValueKind.Double,
            SpecialType.System_Decimal => SqlValueKind.Decimal,
            SpecialType.System_DateTime => SqlValueKind.DateTime,
            _ => null,
        };
        kind ??= type.ToDisplayString(Names.FullyQualified) switch
        {
            "global::System.Guid" => SqlValueKind.Guid,
            "global::System.DateTimeOffset" => SqlValueKind.DateTimeOffset,
            "byte[]" => SqlValueKind.Bytes,
            OwnerIdType when allowOwner && !nullable => SqlValueKind.OwnerId,
            _ => null,
        };
        return kind is null ? null : (kind.Value, nullable);
    }
}
