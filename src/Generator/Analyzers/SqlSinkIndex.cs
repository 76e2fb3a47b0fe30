using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Rampart.Generator.Analyzers;

/// <summary>
/// The parameters of the methods of one compilation that become SQL text, built once per compilation from
/// the bottom up: the ADO.NET and Rampart sinks are found by a syntax scan (only their members are bound),
/// the parameters they depend on are recorded, and then the call sites of each such method (found by name,
/// then bound) are checked in turn, until nothing changes. A method whose callers cannot all be seen is not
/// indexed: its parameters are reported where they become SQL text.
/// </summary>
internal sealed class SqlSinkIndex
{
    private static readonly ImmutableDictionary<int, SqlParameter> None = ImmutableDictionary<int, SqlParameter>.Empty;

    private readonly Dictionary<IMethodSymbol, ImmutableDictionary<int, SqlParameter>> _parameters;

    private SqlSinkIndex(Dictionary<IMethodSymbol, ImmutableDictionary<int, SqlParameter>> parameters) => _parameters = parameters;

    /// <summary>The parameters of <paramref name="method"/>, by ordinal, that become SQL text.</summary>
    public ImmutableDictionary<int, SqlParameter> Get(IMethodSymbol method) =>
        _parameters.TryGetValue(SqlTextFlow.Canonical(method), out var parameters) ? parameters : None;

    public static SqlSinkIndex Build(SqlTextFlow flow, Compilation compilation, CancellationToken cancellationToken)
    {
        var builder = new Builder(flow, compilation, cancellationToken);
        builder.Run();
        return new SqlSinkIndex(builder.Parameters);
    }

    private sealed class Builder
    {
        private readonly SqlTextFlow _flow;
        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly SqlTextFlow.Walk _walk;
        private readonly Queue<IMethodSymbol> _pending = new();
        private readonly HashSet<IMethodSymbol> _queued = new(SymbolEqualityComparer.Default);
        private CallSites? _sites;

        public Builder(SqlTextFlow flow, Compilation compilation, CancellationToken cancellationToken)
        {
            _flow = flow;
            _compilation = compilation;
            _cancellationToken = cancellationToken;
            _walk = flow.Start();
        }

        public Dictionary<IMethodSymbol, ImmutableDictionary<int, SqlParameter>> Parameters { get; } = new(SymbolEqualityComparer.Default);

        public void Run()
        {
            foreach (var node in DirectCandidates())
            {
                if (Bind(node) is { } operation)
                {
                    foreach (var sink in _walk.DirectSinksAt(operation))
                    {
                        Record(sink, operation);
                    }
                }
            }

            while (_pending.Count > 0)
            {
                var method = _pending.Dequeue();
                _queued.Remove(method);
                _sites ??= CallSites.Scan(_compilation, _cancellationToken);
                foreach (var node in _sites.Candidates(method))
                {
                    var bound = Bind(node);
                    var sites = bound switch
                    {
                        IObjectOrCollectionInitializerOperation initializer => initializer.Initializers,
                        null => Enumerable.Empty<IOperation>(),
                        _ => new[] { bound },
                    };
                    foreach (var site in sites)
                    {
                        if (SqlTextFlow.Walk.CalledMethod(site) is { } called && SqlTextFlow.SameMethod(called, method))
                        {
                            foreach (var sink in _walk.PassedSinksAt(site, method, Parameters[method]))
                            {
                                Record(sink, site);
                            }
                        }
                    }
                }
            }
        }

        /// <summary>The parameters of the methods around <paramref name="site"/> that the sink's value depends on.</summary>
        private void Record(SqlSink sink, IOperation site)
        {
            var value = _walk.ValueOf(sink.Value);
            if (sink.Composed)
            {
                value = value.AsPiece();
            }

            foreach (var pair in value.Parameters)
            {
                if (pair.Key.ContainingSymbol is not IMethodSymbol owner || _flow.Open(owner) is not null || !_flow.BodyContains(owner, site.Syntax))
                {
                    continue; // reported at the sink
                }

                owner = SqlTextFlow.Canonical(owner);
                var known = Parameters.TryGetValue(owner, out var existing) ? existing : None;
                bool seen = known.TryGetValue(pair.Key.Ordinal, out var before);
                bool composed = pair.Value || (seen && before.Composed);
                if (seen && before.Composed == composed)
                {
                    continue;
                }

                string becomes = sink.Direct ? $"{sink.Becomes} in '{SqlTextFlow.Name(owner)}'" : sink.Becomes;
                Parameters[owner] = known.SetItem(pair.Key.Ordinal, new SqlParameter(composed, becomes));
                if (_queued.Add(owner))
                {
                    _pending.Enqueue(owner);
                }
            }
        }

        private IOperation? Bind(SyntaxNode node)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var operation = _flow.Model(node.SyntaxTree).GetOperation(node, _cancellationToken);
            return operation is IExpressionStatementOperation statement ? statement.Operation : operation;
        }

        /// <summary>
        /// The syntax that can be an ADO.NET or Rampart sink: assignments to a <c>CommandText</c>, calls named
        /// <c>CommandAsync</c>, <c>CreateCommand</c> or like one of Npgsql's COPY methods with arguments, and
        /// creations and <c>base(…)</c> calls with arguments whose type, as far as the syntax says, may be a
        /// command or data adapter (a name ending in <c>Command</c> or <c>DataAdapter</c>, an alias of one, or a
        /// target type the syntax does not show). What this misses is reported at the sink as
        /// not provably constant, never passed over.
        /// </summary>
        private IEnumerable<SyntaxNode> DirectCandidates()
        {
            var aliases = new Dictionary<string, string?>(StringComparer.Ordinal);
            var typed = new List<(SyntaxNode Node, TypeSyntax? Type)>();
            foreach (var tree in _compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot(_cancellationToken).DescendantNodes())
                {
                    switch (node)
                    {
                        case UsingDirectiveSyntax { Alias: { } alias } directive:
                            aliases[alias.Name.Identifier.ValueText] = CallSites.Rightmost(directive.NamespaceOrType);
                            break;
                        case InvocationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } invocation
                            when CallSites.Rightmost(invocation.Expression) is { } called && (called is "CommandAsync" or "CreateCommand" || SqlTextFlow.CopyMethodNames.Contains(called)):
                            yield return invocation;
                            break;
                        case AssignmentExpressionSyntax assignment when CallSites.Rightmost(assignment.Left) == "CommandText":
                            yield return assignment;
                            break;
                        case ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } creation:
                            typed.Add((creation, creation.Type));
                            break;
                        case ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } creation:
                            typed.Add((creation, TargetType(creation)));
                            break;
                        case ConstructorInitializerSyntax { ArgumentList.Arguments.Count: > 0 } initializer when initializer.IsKind(SyntaxKind.BaseConstructorInitializer):
                            typed.Add((initializer, initializer.FirstAncestorOrSelf<TypeDeclarationSyntax>()?.BaseList?.Types.FirstOrDefault()?.Type));
                            break;
                        case PrimaryConstructorBaseTypeSyntax { ArgumentList.Arguments.Count: > 0 } primaryBase:
                            typed.Add((primaryBase, primaryBase.Type));
                            break;
                    }
                }
            }

            foreach (var (node, type) in typed)
            {
                if (type is null || type.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any(n => IsCommandName(n.Identifier.ValueText)))
                {
                    yield return node;
                }
            }

            bool IsCommandName(string name) =>
                name.EndsWith("Command", StringComparison.Ordinal) || name.EndsWith("DataAdapter", StringComparison.Ordinal)
                || (aliases.TryGetValue(name, out string? target) && target is not null && (target.EndsWith("Command", StringComparison.Ordinal) || target.EndsWith("DataAdapter", StringComparison.Ordinal)));
        }

        /// <summary>The type a target-typed <c>new(…)</c> creates, where the syntax around it names it; otherwise null.</summary>
        private static TypeSyntax? TargetType(ImplicitObjectCreationExpressionSyntax creation) => creation.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } => declaration.Type,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Type,
            ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax method } => method.ReturnType,
            ArrowExpressionClauseSyntax { Parent: LocalFunctionStatementSyntax function } => function.ReturnType,
            ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Type,
            ReturnStatementSyntax statement => statement.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) switch
            {
                MethodDeclarationSyntax method => method.ReturnType,
                LocalFunctionStatementSyntax function => function.ReturnType,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Every call, creation, constructor initializer and assignment of a compilation, by the name it uses.</summary>
    private sealed class CallSites
    {

        private readonly Dictionary<string, List<SyntaxNode>> _byName = new(StringComparer.Ordinal);
        private readonly List<SyntaxNode> _unnamed = new();

        public static CallSites Scan(Compilation compilation, CancellationToken cancellationToken)
        {
            var sites = new CallSites();
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
                {
                    switch (node)
                    {
                        case InvocationExpressionSyntax invocation:
                            sites.Add(Rightmost(invocation.Expression), invocation);
                            break;
                        case ObjectCreationExpressionSyntax creation:
                            sites.Add(Rightmost(creation.Type), creation);
                            break;
                        case AssignmentExpressionSyntax assignment:
                            sites.Add(Rightmost(assignment.Left), assignment);
                            break;
                        case ImplicitObjectCreationExpressionSyntax or ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax:
                            sites._unnamed.Add(node);
                            break;
                        case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.CollectionInitializerExpression):
                            // { a, b } calls Add(a) and Add(b).
                            sites.Add("Add", initializer);
                            break;
                        case UsingDirectiveSyntax { Alias: { } alias } directive when Rightmost(directive.NamespaceOrType) is { } target:
                            aliases[alias.Name.Identifier.ValueText] = target;
                            break;
                    }
                }
            }

            // new Alias(…) is found under the aliased type's name too.
            foreach (var alias in aliases)
            {
                if (sites._byName.TryGetValue(alias.Key, out var uses))
                {
                    foreach (var creation in uses.OfType<ObjectCreationExpressionSyntax>().ToList())
                    {
                        sites.Add(alias.Value, creation);
                    }
                }
            }

            return sites;
        }

        /// <summary>The syntax that may call <paramref name="method"/>; binding tells which does.</summary>
        public IEnumerable<SyntaxNode> Candidates(IMethodSymbol method)
        {
            string name = method.MethodKind switch
            {
                MethodKind.Constructor => method.ContainingType.Name,
                MethodKind.PropertySet => method.AssociatedSymbol!.Name,
                _ => method.Name,
            };
            var named = _byName.TryGetValue(name, out var nodes) ? nodes : new List<SyntaxNode>();
            return method.MethodKind switch
            {
                MethodKind.Constructor => named.OfType<ObjectCreationExpressionSyntax>().Concat(_unnamed),
                MethodKind.PropertySet => named.OfType<AssignmentExpressionSyntax>(),
                _ => named.Where(n => n is InvocationExpressionSyntax or InitializerExpressionSyntax),
            };
        }

        private void Add(string? name, SyntaxNode node)
        {
            if (name is null)
            {
                return;
            }

            if (!_byName.TryGetValue(name, out var nodes))
            {
                _byName[name] = nodes = new List<SyntaxNode>();
            }

            nodes.Add(node);
        }

        /// <summary>The name a call or type ends with: <c>Find</c> of <c>a.b.Find&lt;T&gt;</c>.</summary>
        public static string? Rightmost(SyntaxNode? node) => node switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            MemberAccessExpressionSyntax access => Rightmost(access.Name),
            MemberBindingExpressionSyntax binding => Rightmost(binding.Name),
            QualifiedNameSyntax qualified => Rightmost(qualified.Right),
            AliasQualifiedNameSyntax aliased => Rightmost(aliased.Name),
            _ => null,
        };
    }
}
