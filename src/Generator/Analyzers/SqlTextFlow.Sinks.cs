using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Rampart.Generator.Analyzers;

internal sealed partial class SqlTextFlow
{
    internal sealed partial class Walk
    {
        /// <summary>
        /// Every use of a value as SQL text that <paramref name="operation"/> is: an ADO.NET or Rampart API, or
        /// a call of a method of this compilation whose parameter becomes SQL text.
        /// </summary>
        public IEnumerable<SqlSink> SinksAt(IOperation operation)
        {
            foreach (var sink in DirectSinksAt(operation))
            {
                yield return sink;
            }

            if (CalledMethod(operation) is { Parameters.IsEmpty: false } method && _flow.InThisCompilation(method) && _flow.Index.Get(method) is { Count: > 0 } parameters)
            {
                foreach (var sink in PassedSinksAt(operation, method, parameters))
                {
                    yield return sink;
                }
            }
        }

        /// <summary>The ADO.NET and Rampart APIs that take SQL text.</summary>
        public IEnumerable<SqlSink> DirectSinksAt(IOperation operation)
        {
            switch (operation)
            {
                case IAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                    when target.Property.Name == "CommandText" && IsCommand(target.Property.ContainingType):
                    yield return new SqlSink(assignment.Value, assignment is ICompoundAssignmentOperation, "The CommandText", "the CommandText", direct: true);
                    break;
                case IAssignmentOperation { Target: IDynamicMemberReferenceOperation { MemberName: "CommandText" } } dynamicAssignment:
                    // Through 'dynamic' the type is unknown: a CommandText is taken to be a command's.
                    yield return new SqlSink(dynamicAssignment.Value, dynamicAssignment is ICompoundAssignmentOperation, "The CommandText", "the CommandText", direct: true);
                    break;
                case IObjectCreationOperation { Type: INamedTypeSymbol type, Constructor: { } constructor } creation when IsProviderCommand(constructor):
                    // A command (or data adapter) class of this compilation is followed into its constructor (to its base(…) call) instead.
                    if (CommandTextArgument(creation.Arguments) is { } text)
                    {
                        yield return new SqlSink(text, false, "The text of a new " + type.Name, "the text of a new " + type.Name, direct: true);
                    }

                    break;
                case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.Constructor } baseConstructor } baseCall when IsProviderCommand(baseConstructor):
                    if (CommandTextArgument(baseCall.Arguments) is { } baseText)
                    {
                        yield return new SqlSink(baseText, false, "The text passed to the " + baseConstructor.ContainingType.Name + " constructor", "the text of a " + baseConstructor.ContainingType.Name, direct: true);
                    }

                    break;
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (method.Name == "CommandAsync" && _flow._session is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _flow._session)
                        && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "sql") is { } sql)
                    {
                        yield return new SqlSink(sql.Value, false, "The SQL passed to 'RampartSession.CommandAsync'", "the SQL of RampartSession.CommandAsync", direct: true);
                    }
                    else if (method.Name == "CreateCommand" && DerivesFrom(method.ContainingType, _flow._dbDataSource)
                        && CommandTextArgument(invocation.Arguments) is { } commandText)
                    {
                        yield return new SqlSink(commandText, false, $"The SQL passed to '{method.ContainingType.Name}.CreateCommand'", "the text of a command", direct: true);
                    }
                    else if (CopyMethodNames.Contains(method.Name) && DerivesFrom(method.ContainingType, _flow._npgsqlConnection)
                        && CommandTextArgument(invocation.Arguments) is { } copyCommand)
                    {
                        yield return new SqlSink(copyCommand, false, $"The COPY statement passed to '{method.ContainingType.Name}.{method.Name}'", "a COPY statement", direct: true);
                    }

                    break;
            }
        }

        /// <summary>A constructor of a provider's command or data adapter (<c>new NpgsqlDataAdapter(selectText, connection)</c>).</summary>
        private bool IsProviderCommand(IMethodSymbol constructor) =>
            (IsCommand(constructor.ContainingType) || DerivesFrom(constructor.ContainingType, _flow._dbDataAdapter)) && !_flow.InThisCompilation(constructor);

        private static IOperation? CommandTextArgument(ImmutableArray<IArgumentOperation> arguments) =>
            arguments.FirstOrDefault(a => a.Parameter is { Ordinal: 0, Type.SpecialType: SpecialType.System_String })?.Value;

        /// <summary>
        /// The arguments of a call of <paramref name="method"/> (or the value assigned through its setter) that
        /// its <paramref name="parameters"/> make SQL text.
        /// </summary>
        public IEnumerable<SqlSink> PassedSinksAt(IOperation operation, IMethodSymbol method, ImmutableDictionary<int, SqlParameter> parameters)
        {
            string name = Name(method);
            if (operation is IAssignmentOperation assignment)
            {
                if (parameters.TryGetValue(method.Parameters.Length - 1, out var value))
                {
                    yield return new SqlSink(assignment.Value, value.Composed || assignment is ICompoundAssignmentOperation,
                        $"The value set to '{name}' (it becomes {value.Becomes})", value.Becomes, direct: false);
                }

                yield break;
            }

            var arguments = operation switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
            foreach (var argument in arguments)
            {
                if (argument.Parameter is not { } parameter || !parameters.TryGetValue(parameter.Ordinal, out var entry))
                {
                    continue;
                }

                string what = $"The argument '{parameter.Name}' of '{name}' (it becomes {entry.Becomes})";
                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } elements })
                {
                    // Each value of a params array is checked (and reported) where it is written.
                    foreach (var element in elements.ElementValues)
                    {
                        yield return new SqlSink(element, entry.Composed, what, entry.Becomes, direct: false);
                    }
                }
                else
                {
                    yield return new SqlSink(argument.Value, entry.Composed, what, entry.Becomes, direct: false);
                }
            }
        }

        /// <summary>
        /// The value at a sink, with the parameters whose callers are checked instead removed, and every
        /// other open parameter turned into what it is: a value Rampart cannot prove constant.
        /// </summary>
        public SqlTextValue ResolveAt(SqlSink sink, IOperation site)
        {
            var value = ValueOf(sink.Value);
            if (sink.Composed)
            {
                value = value.AsPiece();
            }

            foreach (var pair in value.Parameters)
            {
                value = value.Without(pair.Key);
                if (pair.Key.ContainingSymbol is not IMethodSymbol owner)
                {
                    continue;
                }

                string? why = _flow.Open(owner);
                if (why is null && !(_flow.BodyContains(owner, site.Syntax) && _flow.Index.Get(owner).ContainsKey(pair.Key.Ordinal)))
                {
                    why = $"a parameter of '{Name(owner)}' that reaches this SQL by a way whose callers Rampart does not check";
                }

                if (why is not null)
                {
                    var piece = SqlTextValue.Unknown($"'{pair.Key.Name}' ({why})");
                    value = value.Or(pair.Value ? piece.AsPiece() : piece);
                }
            }

            return value;
        }

        /// <summary>The method of this compilation a call, a creation or a property assignment runs, if any.</summary>
        public static IMethodSymbol? CalledMethod(IOperation operation) => operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            IAssignmentOperation { Target: IPropertyReferenceOperation { Property: { IsIndexer: false, SetMethod: { } setter } } } => setter,
            _ => null,
        };
    }
}
