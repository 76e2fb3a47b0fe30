using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>Finds the contract's handler and works out what to inject and how to write its result.</summary>
internal static class HandlerParser
{
    private const string HttpResults = "Microsoft.AspNetCore.Http.HttpResults.";

    /// <summary>The owner id type, bound from the authenticated caller only.</summary>
    internal const string OwnerIdType = "global::Rampart.OwnerId";

    public static HandlerModel? Parse(ParseContext context, INamedTypeSymbol contract)
    {
        var candidates = contract.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.Name is "HandleAsync" or "Handle")
            .ToList();

        if (candidates.Count == 0)
        {
            context.Report(DiagnosticCatalogue.MissingHandler, contract, contract.Name, string.Empty);
            return null;
        }

        if (candidates.Count > 1)
        {
            context.Report(DiagnosticCatalogue.AmbiguousHandler, candidates[1], contract.Name, candidates.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }

        var method = candidates[0];
        if (!method.IsStatic || method.IsGenericMethod)
        {
            context.Report(DiagnosticCatalogue.MissingHandler, method, contract.Name, method.IsStatic ? " (it must not be generic)" : " (it must be static)");
            return null;
        }

        var parameters = new List<HandlerParameter>();
        foreach (var p in method.Parameters)
        {
            var kind = Classify(p, contract, out string? why);
            if (kind is null)
            {
                context.Report(DiagnosticCatalogue.ParameterCannotBeInjected, p, p.Name, p.Type.ToDisplayString(), why ?? string.Empty);
                continue;
            }

            parameters.Add(new HandlerParameter(kind.Value, Names.Qualified(p.Type)));
        }

        var returnType = method.ReturnType;
        AwaitKind awaitKind = AwaitKind.None;
        string definition = returnType.OriginalDefinition.ToDisplayString();
        if (definition is "System.Threading.Tasks.Task" or "System.Threading.Tasks.ValueTask")
        {
            return new HandlerModel(method.Name, parameters.ToEquatableArray(), definition.EndsWith("ValueTask", System.StringComparison.Ordinal) ? AwaitKind.ValueTask : AwaitKind.Task,
                false, new[] { new ResultCase(ResultKind.Empty, null, 204, null) }.ToEquatableArray());
        }

        if (definition is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>")
        {
            awaitKind = definition.StartsWith("System.Threading.Tasks.ValueTask", System.StringComparison.Ordinal) ? AwaitKind.ValueTask : AwaitKind.Task;
            returnType = ((INamedTypeSymbol)returnType).TypeArguments[0];
        }
        else if (returnType.SpecialType == SpecialType.System_Void)
        {
            return new HandlerModel(method.Name, parameters.ToEquatableArray(), AwaitKind.None, false, new[] { new ResultCase(ResultKind.Empty, null, 204, null) }.ToEquatableArray());
        }

        bool isUnion = false;
        var cases = new List<ResultCase>();
        if (returnType is INamedTypeSymbol { IsGenericType: true } union && union.OriginalDefinition.ToDisplayString().StartsWith(HttpResults + "Results<", System.StringComparison.Ordinal))
        {
            isUnion = true;
            foreach (var arm in union.TypeArguments)
            {
                var result = Classify(context, arm);
                if (result is null || result.Kind is ResultKind.Value or ResultKind.NullableValue)
                {
                    context.Report(DiagnosticCatalogue.UnsupportedReturnType, method, contract.Name, method.ReturnType.ToDisplayString());
                    return null;
                }

                cases.Add(result);
            }
        }
        else
        {
            var result = Classify(context, returnType);
            if (result is null)
            {
                context.Report(DiagnosticCatalogue.UnsupportedReturnType, method, contract.Name, method.ReturnType.ToDisplayString());
                return null;
            }

            cases.Add(result);
        }

        return new HandlerModel(method.Name, parameters.ToEquatableArray(), awaitKind, isUnion, cases.ToEquatableArray());
    }

    private static ParameterKind? Classify(IParameterSymbol p, INamedTypeSymbol contract, out string? why)
    {
        why = null;
        if (p.RefKind is not RefKind.None)
        {
            why = " (ref, out and in parameters are not allowed)";
            return null;
        }

        var type = p.Type;
        if (SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), contract))
        {
            return ParameterKind.Request;
        }

        switch (Names.Qualified(type))
        {
            case "global::Rampart.Caller": return ParameterKind.Caller;
            case "global::System.Security.Claims.ClaimsPrincipal": return ParameterKind.ClaimsPrincipal;
            case "global::Microsoft.AspNetCore.Http.HttpContext": return ParameterKind.HttpContext;
            case "global::System.Threading.CancellationToken": return ParameterKind.CancellationToken;
            case OwnerIdType: return ParameterKind.Owner;
        }

        bool injectable = type.TypeKind is TypeKind.Class or TypeKind.Interface
            && type.SpecialType is SpecialType.None
            && type is INamedTypeSymbol { TypeKind: not TypeKind.Delegate }
            && !(type is INamedTypeSymbol n && n.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Rampart.SecureEndpointAttribute"));
        if (!injectable)
        {
            why = type.IsValueType || type.SpecialType != SpecialType.None ? " (values come from the contract's members, not from handler parameters)" : null;
            return null;
        }

        return ParameterKind.Service;
    }

    private static ResultCase? Classify(ParseContext context, ITypeSymbol type)
    {
        string name = type.OriginalDefinition.ToDisplayString();
        string qualified = Names.Qualified(type);
        if (name.StartsWith(HttpResults, System.StringComparison.Ordinal))
        {
            string shortName = name.Substring(HttpResults.Length);
            TypeRef? Value() => TypeAnalyzer.Analyze(context, ((INamedTypeSymbol)type).TypeArguments[0], forRequest: false);
            switch (shortName)
            {
                case "Ok": return new ResultCase(ResultKind.StatusOnly, qualified, 200, null);
                case "Ok<TValue>": return Value() is { } ok ? new ResultCase(ResultKind.StatusWithValue, qualified, 200, ok) : null;
                case "Created": return new ResultCase(ResultKind.Created, qualified, 201, null);
                case "Created<TValue>": return Value() is { } created ? new ResultCase(ResultKind.CreatedWithValue, qualified, 201, created) : null;
                case "Accepted": return new ResultCase(ResultKind.Created, qualified, 202, null);
                case "Accepted<TValue>": return Value() is { } accepted ? new ResultCase(ResultKind.CreatedWithValue, qualified, 202, accepted) : null;
                case "NoContent": return new ResultCase(ResultKind.StatusOnly, qualified, 204, null);
                case "BadRequest": return new ResultCase(ResultKind.StatusOnly, qualified, 400, null);
                case "UnauthorizedHttpResult": return new ResultCase(ResultKind.StatusOnly, qualified, 401, null);
                case "ForbidHttpResult": return new ResultCase(ResultKind.StatusOnly, qualified, 403, null);
                case "NotFound": return new ResultCase(ResultKind.StatusOnly, qualified, 404, null);
                case "NotFound<TValue>": return Value() is { } notFound ? new ResultCase(ResultKind.StatusWithValue, qualified, 404, notFound) : null;
                case "Conflict": return new ResultCase(ResultKind.StatusOnly, qualified, 409, null);
                case "UnprocessableEntity": return new ResultCase(ResultKind.StatusOnly, qualified, 422, null);
                case "ProblemHttpResult": return new ResultCase(ResultKind.Problem, qualified, 0, null);
                default: return null;
            }
        }

        if (type is INamedTypeSymbol named && TypeAnalyzer.IsPlainObject(named))
        {
            var value = TypeAnalyzer.Analyze(context, type, forRequest: false);
            if (value is null)
            {
                return null;
            }

            return new ResultCase(value.IsNullable ? ResultKind.NullableValue : ResultKind.Value, qualified, 200, value);
        }

        return null;
    }
}
