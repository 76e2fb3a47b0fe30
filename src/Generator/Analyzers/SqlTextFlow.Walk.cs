using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Rampart.Generator.Analyzers;

internal sealed partial class SqlTextFlow
{
    internal sealed partial class Walk
    {
        private readonly SqlTextFlow _flow;
        private readonly List<Frame> _stack = new();
        private int _lowestConsulted = int.MaxValue;
        private int _computed;

        public Walk(SqlTextFlow flow) => _flow = flow;

        private sealed class Frame
        {
            public Frame(Key key, object provisional)
            {
                Key = key;
                Provisional = provisional;
            }

            public Key Key { get; }

            public object Provisional { get; set; }

            public bool Consulted { get; set; }
        }

        // ---- Values ------------------------------------------------------------------------------------

        /// <summary>What is known of the value of <paramref name="operation"/> as SQL text.</summary>
        public SqlTextValue ValueOf(IOperation? operation)
        {
            if (operation is null || operation.ConstantValue.HasValue)
            {
                return SqlTextValue.Constant;
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return conversion.OperatorMethod is { } op ? Call(op, conversion, ImmutableArray<IArgumentOperation>.Empty, ImmutableArray.Create(conversion.Operand)) : ValueOf(conversion.Operand);
                case IParenthesizedOperation parenthesized:
                    return ValueOf(parenthesized.Operand);
                case IBinaryOperation binary:
                    return Concatenation(binary);
                case IUnaryOperation unary:
                    return ValueOf(unary.Operand).Derived();
                case IInterpolatedStringOperation interpolated:
                    return Pieces(interpolated.Parts.Select(PartValue));
                case IInterpolatedStringHandlerCreationOperation handler:
                    return ValueOf(handler.Content);
                case IInterpolatedStringAdditionOperation addition:
                    return ValueOf(addition.Left).AsPiece().Or(ValueOf(addition.Right).AsPiece());
                case IConditionalOperation conditional:
                    return ValueOf(conditional.WhenTrue).Or(ValueOf(conditional.WhenFalse));
                case ICoalesceOperation coalesce:
                    return ValueOf(coalesce.Value).Or(ValueOf(coalesce.WhenNull));
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Arms.Aggregate(SqlTextValue.Constant, (v, arm) => v.Or(ValueOf(arm.Value)));
                case ISimpleAssignmentOperation assignment:
                    return ValueOf(assignment.Value);
                case ICompoundAssignmentOperation compound:
                    return ValueOf(compound.Target).AsPiece().Or(ValueOf(compound.Value).AsPiece());
                case ICoalesceAssignmentOperation coalesceAssignment:
                    return ValueOf(coalesceAssignment.Target).Or(ValueOf(coalesceAssignment.Value));
                case ILocalReferenceOperation local:
                    return LocalValue(local.Local);
                case IParameterReferenceOperation parameter:
                    return ParameterValue(parameter.Parameter);
                case IFieldReferenceOperation field:
                    return FieldValue(field);
                case IPropertyReferenceOperation property:
                    return PropertyValue(property);
                case IInvocationOperation invocation:
                    return InvocationValue(invocation);
                case IAwaitOperation awaited:
                    return AwaitValue(awaited);
                case IArrayCreationOperation array:
                    return array.Initializer is null ? SqlTextValue.Constant : Pieces(array.Initializer.ElementValues.Select(ValueOf));
                case ICollectionExpressionOperation collection:
                    return Pieces(collection.Elements.Select(e => e is ISpreadOperation spread ? ValueOf(spread.Operand) : ValueOf(e)));
                case IObjectCreationOperation creation:
                    return CreationValue(creation);
                case IArrayElementReferenceOperation element:
                    return ValueOf(element.ArrayReference);
                case IDefaultValueOperation or IThrowOperation or IInvalidOperation or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                    // No text (or code that does not compile, reported by the compiler).
                    return SqlTextValue.Constant;
                default:
                    return SqlTextValue.Unknown($"{Piece(operation)} (an expression Rampart does not follow)");
            }
        }

        private SqlTextValue PartValue(IInterpolatedStringContentOperation part) => part switch
        {
            IInterpolatedStringTextOperation => SqlTextValue.Constant,
            IInterpolationOperation interpolation => ValueOf(interpolation.Expression).Or(ValueOf(interpolation.Alignment)).Or(ValueOf(interpolation.FormatString)),
            IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation call } => call.TargetMethod.Name == "AppendLiteral"
                ? SqlTextValue.Constant
                : call.Arguments.Aggregate(SqlTextValue.Constant, (v, a) => v.Or(ValueOf(a.Value))),
            _ => SqlTextValue.Unknown($"{Piece(part)} (an interpolation Rampart does not follow)"),
        };

        private static SqlTextValue Pieces(IEnumerable<SqlTextValue> pieces) =>
            pieces.Aggregate(SqlTextValue.Constant, (whole, piece) => whole.Or(piece.AsPiece()));

        private SqlTextValue Concatenation(IBinaryOperation binary)
        {
            // Long chains of '+' nest on the left: walk them without recursing once per operand.
            var operands = new List<IOperation>();
            IOperation current = binary;
            while (current is IBinaryOperation { OperatorMethod: null } b && !b.ConstantValue.HasValue)
            {
                operands.Add(b.RightOperand);
                current = b.LeftOperand;
            }

            operands.Add(current);
            var value = Pieces(operands.Select(ValueOf));
            return binary.Type?.SpecialType == SpecialType.System_String ? value : value.Derived();
        }

        private SqlTextValue LocalValue(ILocalSymbol local)
        {
            if (local.IsRef)
            {
                return SqlTextValue.Unknown($"'{local.Name}' (a ref local, which Rampart does not follow)");
            }

            return Summarize(new Key(SummaryKind.Local, local), SqlTextValue.Constant, () =>
            {
                var value = SqlTextValue.Constant;
                foreach (var reference in local.DeclaringSyntaxReferences)
                {
                    value = value.Or(DeclarationValue(local, reference.GetSyntax()));
                }

                var scope = local.DeclaringSyntaxReferences.Select(r => LocalScope(r.GetSyntax())).Distinct().ToList();
                return value.Or(ContentsAndWrites(local, local.Type, scope));
            }, (a, b) => a.SameAs(b), SqlTextValue.Unknown($"'{local.Name}' (a value whose assignments Rampart could not settle)"));
        }

        private SqlTextValue DeclarationValue(ILocalSymbol local, SyntaxNode declaration)
        {
            var model = _flow.Model(declaration.SyntaxTree);
            switch (declaration)
            {
                case VariableDeclaratorSyntax declarator:
                    return model.GetOperation(declarator) is IVariableDeclaratorOperation operation
                        ? ValueOf(operation.GetVariableInitializer()?.Value)
                        : SqlTextValue.Unknown($"'{local.Name}' (a declaration Rampart does not follow)");
                case CommonForEachStatementSyntax loop when model.GetOperation(loop) is IForEachLoopOperation forEach:
                    return ValueOf(forEach.Collection);
                default:
                    return SqlTextValue.Unknown($"'{local.Name}' (declared by an out argument, pattern, deconstruction or catch, which Rampart does not follow)");
            }
        }

        private SqlTextValue ParameterValue(IParameterSymbol parameter)
        {
            var owner = parameter.ContainingSymbol as IMethodSymbol;
            if (owner is null || parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                return SqlTextValue.Unknown($"'{parameter.Name}' (a ref or out parameter, which Rampart does not follow)");
            }

            return Summarize(new Key(SummaryKind.Parameter, parameter), SqlTextValue.Constant, () =>
            {
                var scope = (owner.PartialImplementationPart ?? owner).DeclaringSyntaxReferences.Select(r => r.GetSyntax()).ToList();
                return SqlTextValue.Parameter(parameter).Or(ContentsAndWrites(parameter, parameter.Type, scope));
            }, (a, b) => a.SameAs(b), SqlTextValue.Unknown($"'{parameter.Name}' (a value whose assignments Rampart could not settle)"));
        }

        private SqlTextValue FieldValue(IFieldReferenceOperation reference)
        {
            var field = reference.Field.OriginalDefinition;
            if (field.HasConstantValue || (field.ContainingType.SpecialType == SpecialType.System_String && field.Name == "Empty"))
            {
                return SqlTextValue.Constant;
            }

            string name = Name(field);
            if (IsAccumulator(field.Type))
            {
                return SqlTextValue.Unknown($"'{name}' (a field holding a builder or collection, whose contents Rampart does not follow)");
            }

            if (!_flow.InThisCompilation(field))
            {
                return SqlTextValue.Unknown($"'{name}' (a field defined outside this compilation)");
            }

            if (!field.IsReadOnly && field.DeclaredAccessibility != Accessibility.Private)
            {
                return SqlTextValue.Unknown($"'{name}' (a field that code elsewhere can change: make it const, or readonly with a constant value)");
            }

            return MemberValue(field, field.Type, name);
        }

        private SqlTextValue PropertyValue(IPropertyReferenceOperation reference)
        {
            var property = reference.Property.OriginalDefinition;
            var type = property.ContainingType;
            if (type.ToDisplayString() == "System.Environment" && property.Name == "NewLine")
            {
                return SqlTextValue.Constant;
            }

            if (type.SpecialType == SpecialType.System_String || (reference.Instance is not null && IsAccumulator(type)))
            {
                // An element of a collection is as known as the collection; Length, Count or a char are derived from it.
                var read = ValueOf(reference.Instance);
                return property.IsIndexer && type.SpecialType != SpecialType.System_String ? read : read.Derived();
            }

            string name = Name(property);
            if (property.GetMethod is not { } getter || !Followable(getter))
            {
                return SqlTextValue.Unknown($"'{name}' ({Unfollowable(property.GetMethod, property)})");
            }

            if (!IsAutoProperty(property))
            {
                return Call(getter, reference, reference.Arguments, ImmutableArray<IOperation>.Empty);
            }

            if (property.SetMethod is { } setter && (setter.IsInitOnly || setter.DeclaredAccessibility != Accessibility.Private))
            {
                return SqlTextValue.Unknown($"'{name}' (a property that code elsewhere can set: make it get-only with a constant value)");
            }

            if (IsAccumulator(property.Type))
            {
                // Like a field: whoever reads the property can fill the builder or collection it holds.
                return SqlTextValue.Unknown($"'{name}' (a property holding a builder or collection, whose contents Rampart does not follow)");
            }

            return MemberValue(property, property.Type, name);
        }

        /// <summary>A field or auto-property whose every write is visible: its initializer and the writes in its type.</summary>
        private SqlTextValue MemberValue(ISymbol member, ITypeSymbol type, string name) =>
            Summarize(new Key(SummaryKind.Member, member), SqlTextValue.Constant, () =>
            {
                var value = SqlTextValue.Constant;
                foreach (var declaration in member.DeclaringSyntaxReferences.Select(r => r.GetSyntax()))
                {
                    var initializer = declaration switch
                    {
                        VariableDeclaratorSyntax field => field.Initializer,
                        PropertyDeclarationSyntax property => property.Initializer,
                        _ => null,
                    };
                    if (initializer is not null && _flow.Model(initializer.SyntaxTree).GetOperation(initializer) is ISymbolInitializerOperation init)
                    {
                        value = value.Or(ValueOf(init.Value));
                    }
                }

                value = value.Or(ContentsAndWrites(member, type, TypeScope(member.ContainingType)));
                return Stored(value, name);
            }, (a, b) => a.SameAs(b), SqlTextValue.Unknown($"'{name}' (a member whose assignments Rampart could not settle)"));

        /// <summary>A value kept in a field or property: parameters written into it are not followed to their callers.</summary>
        private static SqlTextValue Stored(SqlTextValue value, string member)
        {
            foreach (var pair in value.Parameters)
            {
                string owner = pair.Key.ContainingSymbol is IMethodSymbol m ? Name(m) : "a method";
                var piece = SqlTextValue.Unknown($"'{member}' (assigned from '{pair.Key.Name}', a parameter of '{owner}', which Rampart does not follow through a field)");
                value = value.Without(pair.Key).Or(pair.Value ? piece.AsPiece() : piece);
            }

            return value;
        }

        private SqlTextValue InvocationValue(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            if (type?.SpecialType == SpecialType.System_String)
            {
                if (method.Name == "Create" && !invocation.Arguments.Any(a => a.Value is IInterpolatedStringHandlerCreationOperation))
                {
                    return SqlTextValue.Built($"{Piece(invocation)} (string.Create writes the text in a callback)");
                }

                // The instance is transformed (Trim, Replace): as it is; the arguments are pieces of the result.
                var text = ValueOf(invocation.Instance).Or(Arguments(invocation.Arguments));
                return method.ReturnType.SpecialType == SpecialType.System_String ? text : text.Derived();
            }

            if (_flow._stringBuilder is not null && SymbolEqualityComparer.Default.Equals(type, _flow._stringBuilder))
            {
                // ToString and the fluent Append… calls read the builder; its contents come from every use of it.
                return ValueOf(invocation.Instance).Or(Arguments(invocation.Arguments));
            }

            if (method.Name == "ToString" && invocation.Instance is { Type: { } instanceType }
                && (instanceType.SpecialType != SpecialType.None || instanceType.TypeKind == TypeKind.Enum))
            {
                return ValueOf(invocation.Instance).Or(Arguments(invocation.Arguments)).Derived();
            }

            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                return SqlTextValue.Unknown($"{Piece(invocation)} (the result of a delegate call, which Rampart does not follow)");
            }

            return Call(method, invocation, invocation.Arguments, ImmutableArray<IOperation>.Empty);
        }

        private SqlTextValue AwaitValue(IAwaitOperation awaited)
        {
            var operation = awaited.Operation;
            while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaitedTask })
            {
                operation = awaitedTask;
            }

            return operation switch
            {
                IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult => ValueOf(fromResult.Arguments[0].Value),
                IInvocationOperation call => Call(call.TargetMethod, call, call.Arguments, ImmutableArray<IOperation>.Empty),
                _ => SqlTextValue.Unknown($"{Piece(awaited)} (an awaited value Rampart does not follow)"),
            };
        }

        private SqlTextValue CreationValue(IObjectCreationOperation creation)
        {
            if (creation.Type is not { } type || !(type.SpecialType == SpecialType.System_String || IsAccumulator(type)))
            {
                return SqlTextValue.Unknown($"{Piece(creation)} (an object Rampart does not follow)");
            }

            var value = Arguments(creation.Arguments);
            if (creation.Initializer is { } initializer)
            {
                foreach (var element in initializer.Initializers)
                {
                    value = value.Or(element is IInvocationOperation add ? Arguments(add.Arguments) : ValueOf(element).AsPiece());
                }
            }

            return value;
        }

        /// <summary>
        /// The arguments of a string, builder or collection method, each a piece of the result (also an index or
        /// a count, which chooses what part of the text is kept); not a capacity, an enum or a format provider.
        /// </summary>
        private SqlTextValue Arguments(IEnumerable<IArgumentOperation> arguments)
        {
            var value = SqlTextValue.Constant;
            foreach (var argument in arguments)
            {
                if (argument.Parameter is { } parameter
                    && (CapacityParameterNames.Contains(parameter.Name) || parameter.Type.TypeKind == TypeKind.Enum
                        || (_flow._formatProvider is not null && (SymbolEqualityComparer.Default.Equals(parameter.Type, _flow._formatProvider) || parameter.Type.AllInterfaces.Contains(_flow._formatProvider)))))
                {
                    continue;
                }

                value = value.Or(ValueOf(argument.Value).AsPiece());
            }

            return value;
        }

        /// <summary>
        /// The result of calling <paramref name="method"/>: its returns, followed into its body when it is a
        /// method of this compilation that cannot be overridden, with the call's arguments in place of the
        /// parameters they depend on.
        /// </summary>
        private SqlTextValue Call(IMethodSymbol method, IOperation call, ImmutableArray<IArgumentOperation> arguments, ImmutableArray<IOperation> operands)
        {
            if (!Followable(method))
            {
                return SqlTextValue.Unknown($"{Piece(call)} ({Unfollowable(method, null)})");
            }

            var canonical = Canonical(method);
            var returned = Summarize(new Key(SummaryKind.Return, canonical), SqlTextValue.Constant, () =>
            {
                var body = _flow.Body(canonical);
                if (body is null || OwnReturns(body, OperationKind.YieldReturn).Any())
                {
                    return SqlTextValue.Unknown($"the result of '{Name(canonical)}' (a method Rampart cannot read)");
                }

                return OwnReturns(body, OperationKind.Return).Aggregate(SqlTextValue.Constant, (v, r) => v.Or(ValueOf(r)));
            }, (a, b) => a.SameAs(b), SqlTextValue.Unknown($"the result of '{Name(canonical)}' (a call chain deeper or more recursive than Rampart follows)"));

            var value = returned;
            foreach (var pair in returned.Parameters)
            {
                if (!SameMethod(pair.Key.ContainingSymbol, canonical))
                {
                    continue;
                }

                var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == pair.Key.Ordinal);
                var passed = argument is not null ? ValueOf(argument.Value)
                    : pair.Key.Ordinal < operands.Length ? ValueOf(operands[pair.Key.Ordinal])
                    : SqlTextValue.Constant;
                value = value.Without(pair.Key).Or(pair.Value ? passed.AsPiece() : passed);
            }

            return value;
        }

        /// <summary>
        /// What a local, parameter, field or property holds besides its declaration: every assignment in
        /// <paramref name="scope"/>, and for a builder or collection every piece added to it there.
        /// </summary>
        private SqlTextValue ContentsAndWrites(ISymbol symbol, ITypeSymbol type, IReadOnlyList<SyntaxNode> scope)
        {
            bool accumulator = IsAccumulator(type);
            var value = SqlTextValue.Constant;
            foreach (var reference in _flow.References(symbol, scope))
            {
                value = value.Or(Write(reference, symbol.Name));
                if (accumulator)
                {
                    value = value.Or(Additions(reference, symbol.Name));
                }
            }

            return value;
        }

        /// <summary>The value written where <paramref name="reference"/> is the target of a write; constant otherwise.</summary>
        private SqlTextValue Write(IOperation reference, string name)
        {
            if (reference.Syntax.Parent is RefExpressionSyntax)
            {
                return SqlTextValue.Unknown($"'{name}' (aliased by reference)");
            }

            switch (reference.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    return assignment.IsRef ? SqlTextValue.Unknown($"'{name}' (assigned by reference)") : ValueOf(assignment.Value);
                case ICompoundAssignmentOperation compound when compound.Target == reference:
                    return ValueOf(compound);
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                    return ValueOf(coalesce.Value);
                case IIncrementOrDecrementOperation step:
                    // A counter stays a number computed from its own earlier values (placeholders @p0, @p1, …).
                    return ValueOf(step.Target).Derived();
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    return SqlTextValue.Unknown($"'{name}' (passed by ref or out to '{(argument.Parent as IInvocationOperation)?.TargetMethod.Name ?? "a method"}')");
                case ITupleOperation tuple when tuple.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == tuple:
                    int index = tuple.Elements.IndexOf(reference);
                    return deconstruction.Value is ITupleOperation values && index >= 0 && index < values.Elements.Length
                        ? ValueOf(values.Elements[index])
                        : SqlTextValue.Unknown($"'{name}' (assigned by a deconstruction Rampart does not follow)");
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } }:
                case ISimpleAssignmentOperation { IsRef: true }:
                case IAddressOfOperation:
                    return SqlTextValue.Unknown($"'{name}' (aliased by reference)");
                default:
                    return SqlTextValue.Constant;
            }
        }

        /// <summary>What is added to a builder or collection through one reference to it (and the calls chained on it).</summary>
        private SqlTextValue Additions(IOperation reference, string name)
        {
            var value = SqlTextValue.Constant;
            var current = reference;
            while (true)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case IConversionOperation or IParenthesizedOperation:
                        current = parent;
                        continue;
                    case IInvocationOperation call when call.Instance == current:
                        if (ChangingMethodNames.Contains(call.TargetMethod.Name))
                        {
                            value = value.Or(Arguments(call.Arguments));
                        }
                        else if (!ReadingMethodNames.Contains(call.TargetMethod.Name))
                        {
                            return SqlTextValue.Unknown($"'{name}' (its method '{call.TargetMethod.Name}' is called, which Rampart does not know to leave it unchanged)");
                        }

                        if (SymbolEqualityComparer.Default.Equals(call.Type, current.Type))
                        {
                            // A fluent call returns the same builder: follow the chain.
                            current = call;
                            continue;
                        }

                        return value;
                    case IArgumentOperation { Parent: IInvocationOperation copy } argument when copy.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
                        && copy.TargetMethod.Name is "CopyTo" or "TryCopyTo":
                        // string.CopyTo writes the string into its destination argument.
                        return value.Or(ValueOf(copy.Instance).AsPiece()).Or(Arguments(copy.Arguments.Where(a => a != argument)));
                    case IArgumentOperation { Parent: IInvocationOperation call } when IsReadingCall(call.TargetMethod):
                        return value;
                    case IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument:
                        string callee = argument.Parent is IInvocationOperation invocation ? Name(invocation.TargetMethod) : "a constructor";
                        return SqlTextValue.Unknown($"'{name}' (passed to '{callee}', which may add to it where Rampart does not look)");
                    case IPropertyReferenceOperation property when property.Instance == current:
                        // An element write, or Length = n, which cuts a builder's text where n says.
                        return property.Parent is IAssignmentOperation set && set.Target == property ? value.Or(ValueOf(set.Value).AsPiece()) : value;
                    case IArrayElementReferenceOperation element when element.ArrayReference == current:
                        return element.Parent is IAssignmentOperation store && store.Target == element ? value.Or(ValueOf(store.Value).AsPiece()) : value;
                    case IForEachLoopOperation or IExpressionStatementOperation or IInterpolationOperation or IBinaryOperation or IIsPatternOperation or IIsTypeOperation:
                        return value;
                    case IAssignmentOperation assignment when assignment.Target == current:
                        return value;
                    case IMemberReferenceOperation member when member.Instance == current && member is not IMethodReferenceOperation:
                        return value;
                    case null:
                        return value;
                    default:
                        return SqlTextValue.Unknown($"'{name}' (a builder or collection stored, returned or aliased where Rampart does not follow it)");
                }
            }
        }

        private bool IsReadingCall(IMethodSymbol method) =>
            method.ContainingType?.SpecialType == SpecialType.System_String
            || (_flow._enumerable is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _flow._enumerable));

        private bool IsAccumulator(ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_String)
            {
                return false;
            }

            if (_flow._stringBuilder is not null && SymbolEqualityComparer.Default.Equals(type, _flow._stringBuilder))
            {
                return true;
            }

            return type is IArrayTypeSymbol || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);
        }

        // ---- Summaries ---------------------------------------------------------------------------------

        /// <summary>
        /// The cached summary for <paramref name="key"/>, computed on first use. A summary that depends on
        /// itself is iterated from <paramref name="provisional"/> until it no longer changes; one that saw
        /// another summary still in progress is used but not cached; past the depth limit or the walk's budget
        /// the answer is <paramref name="limit"/> (for values: not provably constant).
        /// </summary>
        private T Summarize<T>(Key key, T provisional, Func<T> compute, Func<T, T, bool> same, T limit)
            where T : class
        {
            if (_flow._summaries.TryGetValue(key, out object? done))
            {
                return (T)done;
            }

            if (_stack.Count == 0)
            {
                // A new question: the budget and what was consulted start afresh.
                _computed = 0;
                _lowestConsulted = int.MaxValue;
            }

            for (int i = 0; i < _stack.Count; i++)
            {
                if (_stack[i].Key.Equals(key))
                {
                    _stack[i].Consulted = true;
                    _lowestConsulted = Math.Min(_lowestConsulted, i);
                    return (T)_stack[i].Provisional;
                }
            }

            if (_stack.Count >= MaxDepth || ++_computed > MaxSummariesPerWalk)
            {
                _lowestConsulted = -1;
                return limit;
            }

            var frame = new Frame(key, provisional);
            int me = _stack.Count;
            _stack.Add(frame);
            int outer = _lowestConsulted;
            T result = limit;
            bool settled = false;
            int lowest = int.MaxValue;
            for (int round = 0; round < MaxRounds; round++)
            {
                _lowestConsulted = int.MaxValue;
                frame.Consulted = false;
                result = compute();
                lowest = _lowestConsulted;
                if (!frame.Consulted || same(result, (T)frame.Provisional))
                {
                    settled = true;
                    break;
                }

                frame.Provisional = result;
            }

            _stack.RemoveAt(me);
            if (!settled)
            {
                result = limit;
            }

            if (lowest >= me)
            {
                _flow._summaries.TryAdd(key, result);
            }

            _lowestConsulted = Math.Min(outer, lowest >= me ? int.MaxValue : lowest);
            return result;
        }

        // ---- Symbols -----------------------------------------------------------------------------------

        private bool Followable(IMethodSymbol method)
        {
            method = Canonical(method);
            return !method.IsVirtual && !method.IsAbstract && !method.IsOverride && !method.IsExtern
                && method.ContainingType?.TypeKind != TypeKind.Interface
                && method.MethodKind is not (MethodKind.DelegateInvoke or MethodKind.AnonymousFunction)
                && _flow.InThisCompilation(method);
        }

        private string Unfollowable(IMethodSymbol? method, IPropertySymbol? property)
        {
            ISymbol symbol = (ISymbol?)property ?? method!;
            if (method is null)
            {
                return "a property without a getter Rampart can read";
            }

            if (!_flow.InThisCompilation(Canonical(method)))
            {
                return property is null ? "the result of a method outside this compilation" : "a property defined outside this compilation";
            }

            return symbol.ContainingType?.TypeKind == TypeKind.Interface || method.IsVirtual || method.IsAbstract || method.IsOverride
                ? "a virtual or interface member, whose implementation is chosen at run time"
                : "a member Rampart cannot read";
        }

        private static bool IsAutoProperty(IPropertySymbol property) =>
            property.GetMethod is { } getter
            && (getter.IsImplicitlyDeclared
                || getter.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).Any(s => s is AccessorDeclarationSyntax { Body: null, ExpressionBody: null }));

        /// <summary>The values returned (or yielded) by the function <paramref name="body"/> itself, not by the functions nested in it.</summary>
        private static IEnumerable<IOperation> OwnReturns(IOperation body, OperationKind kind)
        {
            var pending = new Stack<IOperation>();
            pending.Push(body);
            while (pending.Count > 0)
            {
                var operation = pending.Pop();
                if (operation is IReturnOperation { ReturnedValue: { } returned } ret && ret.Kind == kind)
                {
                    yield return returned;
                }

                foreach (var child in operation.ChildOperations)
                {
                    if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        private bool IsCommand(ITypeSymbol? type)
        {
            if (type is null)
            {
                return false;
            }

            if (DerivesFrom(type, _flow._dbCommand) || DerivesFrom(type, _flow._dbBatchCommand))
            {
                return true;
            }

            return _flow._idbCommand is not null
                && (SymbolEqualityComparer.Default.Equals(type, _flow._idbCommand) || type.AllInterfaces.Contains(_flow._idbCommand));
        }

        private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
        {
            for (var t = type; t is not null && baseType is not null; t = t.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(t, baseType))
                {
                    return true;
                }
            }

            return false;
        }

        private static string Piece(IOperation operation)
        {
            string text = string.Join(" ", operation.Syntax.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return "'" + (text.Length > 60 ? text.Substring(0, 57) + "..." : text) + "'";
        }
    }
}
