using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Rampart.Generator.Analyzers;

/// <summary>
/// Follows values used as SQL text back to where they come from, within one compilation: constants,
/// locals and their every assignment (flow-insensitive), string building (concatenation, interpolation,
/// <c>string</c> methods, <c>StringBuilder</c> and collections filled in the same method), fields and
/// properties whose every write is visible, and methods of the compilation — their returns (with the
/// call's arguments substituted) and their parameters (each method that passes a parameter on to SQL text
/// makes its call sites sinks as well, so every caller's argument is checked). Summaries are cached per
/// symbol for the compilation; recursion is settled by iteration and the walk is bounded in depth.
/// Whatever is not followed is reported as not provably constant.
/// </summary>
internal sealed partial class SqlTextFlow
{
    private const int MaxDepth = 48;
    private const int MaxRounds = 6;
    private const int MaxSummariesPerWalk = 20_000;

    // Arguments that size a buffer without changing the text. Index and count arguments are pieces of the text:
    // a caller-chosen count in Remove or Substring cuts a constant statement anywhere.
    private static readonly HashSet<string> CapacityParameterNames = new(StringComparer.Ordinal) { "capacity", "maxCapacity" };

    // Methods of a builder or collection whose arguments become (or choose) its contents: they are pieces.
    private static readonly HashSet<string> ChangingMethodNames = new(StringComparer.Ordinal)
    {
        "Append", "AppendLine", "AppendFormat", "AppendJoin", "Insert", "InsertRange", "Replace", "Add", "AddRange",
        "AddFirst", "AddLast", "AddBefore", "AddAfter", "Push", "PushRange", "Enqueue", "TryAdd", "Prepend", "UnionWith",
        "Remove", "RemoveAt", "RemoveRange", "RemoveAll", "RemoveFirst", "RemoveLast", "RemoveWhere", "Clear", "Pop",
        "TryPop", "Dequeue", "TryDequeue", "Reverse", "Sort",
    };

    // Methods of a builder or collection that leave its contents as they are. Any other method called on one
    // that is followed is not known to, and the value is not provably constant.
    private static readonly HashSet<string> ReadingMethodNames = new(StringComparer.Ordinal)
    {
        "ToString", "ToArray", "ToList", "Contains", "ContainsKey", "ContainsValue", "IndexOf", "LastIndexOf",
        "BinarySearch", "Exists", "Find", "FindIndex", "FindLast", "FindLastIndex", "FindAll", "TrueForAll", "ForEach",
        "ConvertAll", "GetEnumerator", "GetHashCode", "Equals", "GetType", "TryGetValue", "Peek", "TryPeek",
        "GetRange", "Slice", "AsSpan", "AsMemory", "AsReadOnly", "GetValue", "GetLength", "GetLongLength",
        "GetLowerBound", "GetUpperBound", "CopyTo", "Clone", "EnsureCapacity", "TrimExcess", "GetChunks",
    };

    /// <summary>Npgsql's COPY methods, whose first argument is a COPY statement.</summary>
    internal static readonly HashSet<string> CopyMethodNames = new(StringComparer.Ordinal)
    {
        "BeginBinaryImport", "BeginBinaryImportAsync", "BeginBinaryExport", "BeginBinaryExportAsync", "BeginTextImport",
        "BeginTextImportAsync", "BeginTextExport", "BeginTextExportAsync", "BeginRawBinaryCopy", "BeginRawBinaryCopyAsync",
    };

    // Methods the compiler calls by pattern (deconstruction, await, foreach, using, ranges, fixed): their call
    // sites are not found by name. Add is found through collection initializers; query expressions pass
    // lambdas, whose results are delegate calls (not followed) anyway.
    private static readonly HashSet<string> PatternMethodNames = new(StringComparer.Ordinal)
    {
        "Deconstruct", "GetAwaiter", "GetResult", "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Dispose", "DisposeAsync",
        "Slice", "GetPinnableReference",
    };

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol? _dbCommand;
    private readonly INamedTypeSymbol? _idbCommand;
    private readonly INamedTypeSymbol? _dbBatchCommand;
    private readonly INamedTypeSymbol? _dbDataSource;
    private readonly INamedTypeSymbol? _dbDataAdapter;
    private readonly INamedTypeSymbol? _npgsqlConnection;
    private readonly INamedTypeSymbol? _session;
    private readonly INamedTypeSymbol? _stringBuilder;
    private readonly INamedTypeSymbol? _formatProvider;
    private readonly INamedTypeSymbol? _enumerable;
    private readonly bool _sharesInternals;
    private readonly ConcurrentDictionary<Key, object> _summaries = new();
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly Lazy<SqlSinkIndex> _index;

    private SqlTextFlow(Compilation compilation, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _index = new Lazy<SqlSinkIndex>(() => SqlSinkIndex.Build(this, compilation, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        _dbCommand = compilation.GetTypeByMetadataName("System.Data.Common.DbCommand");
        _idbCommand = compilation.GetTypeByMetadataName("System.Data.IDbCommand");
        _dbBatchCommand = compilation.GetTypeByMetadataName("System.Data.Common.DbBatchCommand");
        _dbDataSource = compilation.GetTypeByMetadataName("System.Data.Common.DbDataSource");
        _dbDataAdapter = compilation.GetTypeByMetadataName("System.Data.Common.DbDataAdapter");
        _npgsqlConnection = compilation.GetTypeByMetadataName("Npgsql.NpgsqlConnection");
        _session = compilation.GetTypeByMetadataName("Rampart.Data.RampartSession");
        _stringBuilder = compilation.GetTypeByMetadataName("System.Text.StringBuilder");
        _formatProvider = compilation.GetTypeByMetadataName("System.IFormatProvider");
        _enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        _sharesInternals = compilation.Assembly.GetAttributes().Any(a =>
            a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InternalsVisibleToAttribute");
    }

    /// <summary>The analysis for <paramref name="compilation"/>, or null when it has no SQL sink to check.</summary>
    public static SqlTextFlow? For(Compilation compilation, CancellationToken cancellationToken)
    {
        var flow = new SqlTextFlow(compilation, cancellationToken);
        return flow._dbCommand is null && flow._idbCommand is null && flow._session is null ? null : flow;
    }

    /// <summary>A walk: one thread's view of the shared summaries, with its own stack of values in progress.</summary>
    public Walk Start() => new(this);

    /// <summary>The parameters of this compilation's methods that become SQL text (built on first use).</summary>
    public SqlSinkIndex Index => _index.Value;

    private enum SummaryKind
    {
        Return,
        Local,
        Parameter,
        Member,
    }

    private readonly struct Key : IEquatable<Key>
    {
        public Key(SummaryKind kind, ISymbol symbol)
        {
            Kind = kind;
            Symbol = symbol;
        }

        public SummaryKind Kind { get; }

        public ISymbol Symbol { get; }

        public bool Equals(Key other) => Kind == other.Kind && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => ((int)Kind * 397) ^ SymbolEqualityComparer.Default.GetHashCode(Symbol);
    }

    internal SemanticModel Model(SyntaxTree tree) =>
        _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));

    // ---- Shared helpers (no walk state) -------------------------------------------------------------------

    /// <summary>The method whose parameters and body stand for every form of <paramref name="method"/>.</summary>
    internal static IMethodSymbol Canonical(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.OriginalDefinition;
        return method.PartialDefinitionPart ?? method;
    }

    internal static bool SameMethod(ISymbol? a, IMethodSymbol b) =>
        a is IMethodSymbol m && SymbolEqualityComparer.Default.Equals(Canonical(m), Canonical(b));

    internal static string Name(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.LocalFunction } local => local.Name,
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => constructor.ContainingType.Name,
        IMethodSymbol { AssociatedSymbol: { } property } => Name(property),
        _ => symbol.ContainingType is { } type ? type.Name + "." + symbol.Name : symbol.Name,
    };

    /// <summary>
    /// Null when every call of <paramref name="method"/> is visible in this compilation (its callers are
    /// checked instead of its parameters); otherwise why not, for the message.
    /// </summary>
    internal string? Open(IMethodSymbol method)
    {
        method = Canonical(method);
        string name = Name(method);
        switch (method.MethodKind)
        {
            case MethodKind.LocalFunction:
                return null;
            case MethodKind.AnonymousFunction:
                return "a parameter of a lambda, whose callers Rampart cannot see";
        }

        if (method.IsStatic && method.Name is "Main" or "<Main>$")
        {
            return "a command-line argument";
        }

        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor or MethodKind.PropertySet)
            || method.AssociatedSymbol is IPropertySymbol { IsIndexer: true }
            || PatternMethodNames.Contains(method.Name))
        {
            return $"a parameter of '{name}', which the language can call without naming it (an operator, conversion, indexer, accessor or pattern method), so Rampart does not follow its callers";
        }

        if (method.IsVirtual || method.IsAbstract || method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty || ImplementsInterface(method))
        {
            return $"a parameter of '{name}', which overrides, implements or can be overridden, so calls reach it unseen";
        }

        switch (EffectiveAccessibility(method))
        {
            case Accessibility.Private:
                return null;
            case Accessibility.Internal or Accessibility.ProtectedAndInternal:
                return _sharesInternals
                    ? $"a parameter of '{name}', which is internal and the assembly shares its internals with InternalsVisibleTo"
                    : null;
            default:
                return $"a parameter of '{name}', which code outside this project can call";
        }
    }

    private static bool ImplementsInterface(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet) || method.IsStatic)
        {
            return false;
        }

        var type = method.ContainingType;
        foreach (var face in type.AllInterfaces)
        {
            foreach (var member in face.GetMembers())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Accessibility EffectiveAccessibility(ISymbol symbol)
    {
        var result = Accessibility.Public;
        for (var s = symbol; s is not null && s.Kind != SymbolKind.Namespace; s = s.ContainingSymbol)
        {
            var declared = s.DeclaredAccessibility;
            if (declared == Accessibility.NotApplicable)
            {
                continue;
            }

            if (Rank(declared) < Rank(result))
            {
                result = declared;
            }
        }

        return result;

        static int Rank(Accessibility a) => a switch
        {
            Accessibility.Private => 0,
            Accessibility.ProtectedAndInternal => 1,
            Accessibility.Internal => 2,
            Accessibility.Protected => 3,
            Accessibility.ProtectedOrInternal => 4,
            _ => 5,
        };
    }

    internal bool InThisCompilation(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly) && !symbol.DeclaringSyntaxReferences.IsEmpty;

    /// <summary>True when the body of <paramref name="method"/> contains <paramref name="node"/>, so that the index saw it there.</summary>
    internal bool BodyContains(IMethodSymbol method, SyntaxNode node)
    {
        method = Canonical(method);
        return (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences
            .Any(r => r.SyntaxTree == node.SyntaxTree && r.Span.Contains(node.Span));
    }

    /// <summary>The operation tree of <paramref name="method"/>'s body, or null when it has none in source.</summary>
    private IOperation? Body(IMethodSymbol method)
    {
        method = method.PartialImplementationPart ?? method;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            if (syntax is TypeDeclarationSyntax)
            {
                continue;
            }

            var operation = Model(syntax.SyntaxTree).GetOperation(syntax);
            if (operation is IMethodBodyBaseOperation or ILocalFunctionOperation or IBlockOperation or IAnonymousFunctionOperation)
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>The syntax in which a local can be referenced: its member (or all top-level statements).</summary>
    private static SyntaxNode LocalScope(SyntaxNode declaration)
    {
        for (var node = declaration; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case GlobalStatementSyntax global:
                    return global.Parent!;
                case AccessorDeclarationSyntax:
                    return node;
                case MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax:
                    return node;
            }
        }

        return declaration.SyntaxTree.GetRoot();
    }

    private static IReadOnlyList<SyntaxNode> TypeScope(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).ToList();

    /// <summary>Every operation in <paramref name="scope"/> that references <paramref name="symbol"/> by name.</summary>
    private IEnumerable<IOperation> References(ISymbol symbol, IReadOnlyList<SyntaxNode> scope)
    {
        var target = symbol.OriginalDefinition;
        foreach (var root in scope)
        {
            var model = Model(root.SyntaxTree);
            foreach (var identifier in root.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != symbol.Name)
                {
                    continue;
                }

                SyntaxNode node = identifier.Parent switch
                {
                    MemberAccessExpressionSyntax access when access.Name == identifier => access,
                    MemberBindingExpressionSyntax binding => binding,
                    _ => identifier,
                };
                var operation = model.GetOperation(node);
                ISymbol? referenced = operation switch
                {
                    ILocalReferenceOperation l => l.Local,
                    IParameterReferenceOperation p => p.Parameter,
                    IFieldReferenceOperation f => f.Field.OriginalDefinition,
                    IPropertyReferenceOperation p => p.Property.OriginalDefinition,
                    _ => null,
                };
                if (operation is not null && SymbolEqualityComparer.Default.Equals(referenced, target))
                {
                    yield return operation;
                }
            }
        }
    }
}
