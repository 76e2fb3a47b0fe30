using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Rampart.Generator.Diagnostics;

namespace Rampart.Generator.Analyzers;

/// <summary>
/// RAMP0070: in a project that references Rampart, SQL command text must not be built from values —
/// no interpolation, concatenation, <c>string.Format</c> or <c>string.Concat</c> assigned to
/// <c>CommandText</c> or passed to a command's constructor (DbCommand, SqliteCommand, NpgsqlCommand, any
/// <c>IDbCommand</c>). Values go in parameters; <c>[Sql]</c> store methods make that the only way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CommandTextAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DataAccessDiagnostics.StringBuiltCommandText);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // Only projects that use Rampart; the rule is part of what referencing it means.
            if (start.Compilation.GetTypeByMetadataName("Rampart.SqlAttribute") is null)
            {
                return;
            }

            var dbCommand = start.Compilation.GetTypeByMetadataName("System.Data.Common.DbCommand");
            var idbCommand = start.Compilation.GetTypeByMetadataName("System.Data.IDbCommand");
            if (dbCommand is null && idbCommand is null)
            {
                return;
            }

            start.RegisterOperationAction(operation =>
            {
                var assignment = (ISimpleAssignmentOperation)operation.Operation;
                if (assignment.Target is IPropertyReferenceOperation { Property.Name: "CommandText" } property
                    && IsCommand(property.Property.ContainingType, dbCommand, idbCommand)
                    && IsBuilt(assignment.Value))
                {
                    operation.ReportDiagnostic(Diagnostic.Create(DataAccessDiagnostics.StringBuiltCommandText, assignment.Value.Syntax.GetLocation(), "The CommandText"));
                }
            }, OperationKind.SimpleAssignment);

            start.RegisterOperationAction(operation =>
            {
                var creation = (IObjectCreationOperation)operation.Operation;
                if (creation.Type is INamedTypeSymbol type && IsCommand(type, dbCommand, idbCommand)
                    && creation.Arguments.Length > 0
                    && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String
                    && IsBuilt(creation.Arguments[0].Value))
                {
                    operation.ReportDiagnostic(Diagnostic.Create(DataAccessDiagnostics.StringBuiltCommandText, creation.Arguments[0].Value.Syntax.GetLocation(), "The text of a new " + type.Name));
                }
            }, OperationKind.ObjectCreation);
        });
    }

    private static bool IsCommand(INamedTypeSymbol? type, INamedTypeSymbol? dbCommand, INamedTypeSymbol? idbCommand)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, dbCommand) || SymbolEqualityComparer.Default.Equals(t, idbCommand))
            {
                return true;
            }
        }

        if (type is not null && idbCommand is not null)
        {
            foreach (var i in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(i, idbCommand))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="value"/> is text assembled at run time from non-constant parts.</summary>
    private static bool IsBuilt(IOperation value)
    {
        if (value.ConstantValue.HasValue)
        {
            return false;
        }

        switch (value)
        {
            case IConversionOperation conversion:
                return IsBuilt(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return IsBuilt(parenthesized.Operand);
            case IInterpolatedStringOperation:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                return add.Type?.SpecialType == SpecialType.System_String;
            case ICompoundAssignmentOperation:
                return true;
            case IConditionalOperation conditional:
                return (conditional.WhenTrue is { } t && IsBuilt(t)) || (conditional.WhenFalse is { } f && IsBuilt(f));
            case ICoalesceOperation coalesce:
                return IsBuilt(coalesce.Value) || IsBuilt(coalesce.WhenNull);
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                return (method.ContainingType?.SpecialType == SpecialType.System_String && method.Name is "Format" or "Concat" or "Join" or "Replace")
                    || (method.Name == "ToString" && method.ContainingType?.ToDisplayString() == "System.Text.StringBuilder");
            case ILocalReferenceOperation local:
                // A local initialised with built text is built text.
                foreach (var reference in local.Local.DeclaringSyntaxReferences)
                {
                    if (value.SemanticModel?.GetOperation(reference.GetSyntax()) is IVariableDeclaratorOperation { Initializer.Value: { } initial } && IsBuilt(initial))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
