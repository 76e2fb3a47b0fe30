using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Rampart.Generator.Diagnostics;

namespace Rampart.Generator.Analyzers;

/// <summary>
/// RAMP0070/RAMP0071: in a project that references Rampart, SQL command text must be provably constant.
/// The sinks are <c>CommandText</c> of any command (<c>DbCommand</c>, <c>IDbCommand</c>, <c>DbBatchCommand</c>),
/// the text argument of their constructors and of data adapters', <c>DbDataSource.CreateCommand</c>, Npgsql's
/// COPY methods, <c>RampartSession.CommandAsync</c>, and every parameter of a method of this compilation that
/// passes its value on to one of these. Each value
/// is followed back by <see cref="SqlTextFlow"/>: text built at run time from anything not provably constant
/// is RAMP0070; a value that cannot be proven constant at all (a public method's parameter, a mutable field, a
/// call into another assembly) is RAMP0071. Values go in parameters; <c>[Sql]</c> store methods make that the
/// only way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CommandTextAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DataAccessDiagnostics.StringBuiltCommandText, DataAccessDiagnostics.UnprovenCommandText);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // Generated code is checked too (a generator can build SQL as well); Rampart's own store code passes.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // Only projects that use Rampart; the rule is part of what referencing it means.
            if (start.Compilation.GetTypeByMetadataName("Rampart.SqlAttribute") is null || SqlTextFlow.For(start.Compilation, start.CancellationToken) is not { } flow)
            {
                return;
            }

            start.RegisterOperationAction(
                operation => CheckSinks(operation, flow),
                OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.CoalesceAssignment,
                OperationKind.ObjectCreation, OperationKind.Invocation);
            start.RegisterOperationAction(operation => CheckDelegate(operation, flow), OperationKind.MethodReference);
        });
    }

    private static void CheckSinks(OperationAnalysisContext context, SqlTextFlow flow)
    {
        var walk = flow.Start();
        foreach (var sink in walk.SinksAt(context.Operation))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var value = walk.ResolveAt(sink, context.Operation);
            var descriptor = value.Kind switch
            {
                SqlTextKind.Built => DataAccessDiagnostics.StringBuiltCommandText,
                SqlTextKind.Unknown => DataAccessDiagnostics.UnprovenCommandText,
                _ => null,
            };
            if (descriptor is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(descriptor, sink.Value.Syntax.GetLocation(), sink.What, value.Reason));
            }
        }
    }

    /// <summary>A method that passes a parameter on to SQL text, made into a delegate: its callers can no longer be checked.</summary>
    private static void CheckDelegate(OperationAnalysisContext context, SqlTextFlow flow)
    {
        // Only methods whose every caller is checked are indexed; the parameters of the others are reported
        // where they become SQL already.
        var method = ((IMethodReferenceOperation)context.Operation).Method;
        if (!flow.InThisCompilation(method))
        {
            return;
        }

        foreach (var pair in flow.Index.Get(method))
        {
            var parameter = SqlTextFlow.Canonical(method).Parameters[pair.Key];
            context.ReportDiagnostic(Diagnostic.Create(DataAccessDiagnostics.UnprovenCommandText, context.Operation.Syntax.GetLocation(),
                $"The SQL that '{SqlTextFlow.Name(method)}' receives as '{parameter.Name}' (it becomes {pair.Value.Becomes})",
                "the callers of a delegate made from it, which Rampart cannot see (call the method directly)"));
            return;
        }
    }
}
