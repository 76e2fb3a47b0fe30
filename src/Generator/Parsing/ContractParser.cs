using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>Reads a <c>[SecureEndpoint]</c> contract into a <see cref="ContractModel"/>.</summary>
internal static class ContractParser
{
    private static readonly string[] BodyMethods = { "POST", "PUT", "PATCH" };
    private static readonly string[] Methods = { "GET", "POST", "PUT", "PATCH", "DELETE" };
    private static readonly Regex PermissionPattern = new("^[a-z0-9._-]+:[a-z0-9._-]+$", RegexOptions.CultureInvariant);

    /// <summary>Test seam: runs before each contract is parsed (tests use it to prove exceptions become RAMP0018).</summary>
    internal static Action<INamedTypeSymbol>? BeforeParse { get; set; }

    public static ParseResult Parse(GeneratorAttributeSyntaxContext source, CancellationToken cancellationToken)
    {
        var contract = (INamedTypeSymbol)source.TargetSymbol;
        var context = new ParseContext(source.SemanticModel.Compilation, contract);
        try
        {
            BeforeParse?.Invoke(contract);
            var model = ParseCore(context, source, contract, cancellationToken);
            return new ParseResult(context.HasErrors ? null : model, context.Diagnostics.ToEquatableArray());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Report(DiagnosticCatalogue.GeneratorFailure, contract, contract.Name, ex.GetType().Name + ": " + ex.Message);
            return new ParseResult(null, context.Diagnostics.ToEquatableArray());
        }
    }

    private static ContractModel? ParseCore(ParseContext context, GeneratorAttributeSyntaxContext source, INamedTypeSymbol contract, CancellationToken cancellationToken)
    {
        var syntax = (TypeDeclarationSyntax)source.TargetNode;
        var attribute = source.Attributes[0];
        var location = syntax.Identifier.GetLocation();

        // The contract and every type around it must be partial so generated members can join them.
        if (syntax is not RecordDeclarationSyntax || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            context.Report(DiagnosticCatalogue.ContractNotPartial, location, contract.Name, string.Empty);
            return null;
        }

        var containers = new List<ContainingType>();
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (parent.TypeParameterList is not null)
            {
                context.Report(DiagnosticCatalogue.ContractNotPartial, location, contract.Name, $" and must not be nested in the generic type '{parent.Identifier.Text}'");
                return null;
            }

            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                context.Report(DiagnosticCatalogue.ContractNotPartial, location, contract.Name, $" and its containing type '{parent.Identifier.Text}' must be partial too");
                return null;
            }

            containers.Insert(0, new ContainingType(Keyword(parent), parent.Identifier.Text));
        }

        // MapRampartEndpoints lives outside the contract: it and every type around it must be
        // visible to the rest of the assembly.
        for (INamedTypeSymbol? t = contract; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                context.Report(DiagnosticCatalogue.ContractNotPartial, location, contract.Name,
                    ReferenceEquals(t, contract) ? " and be public or internal" : $" and its containing type '{t.Name}' must be public or internal");
                return null;
            }
        }

        if (contract.IsGenericType)
        {
            context.Report(DiagnosticCatalogue.UnsupportedMemberType, location, contract.Name, contract.Name, contract.ToDisplayString(), "(generic contracts are not supported)");
            return null;
        }

        string method = (attribute.ConstructorArguments.ElementAtOrDefault(0).Value as string ?? string.Empty).ToUpperInvariant();
        string route = attribute.ConstructorArguments.ElementAtOrDefault(1).Value as string ?? string.Empty;
        string? permission = AttributeArguments.Named(attribute, "Permission") as string;
        bool allowAnonymous = AttributeArguments.Named(attribute, "AllowAnonymous") is true;
        bool requireAuthentication = AttributeArguments.Named(attribute, "RequireAuthentication") is true;
        string? rateLimit = AttributeArguments.Named(attribute, "RateLimit") as string;
        string endpointName = AttributeArguments.Named(attribute, "Name") as string ?? contract.Name;

        if (Array.IndexOf(Methods, method) < 0)
        {
            context.Report(DiagnosticCatalogue.UnsupportedHttpMethod, location, contract.Name, method);
        }

        var routeParameters = new List<string>();
        string? routeProblem = RouteTemplate.Validate(route, routeParameters);
        if (routeProblem is not null)
        {
            context.Report(DiagnosticCatalogue.InvalidRoute, location, route, contract.Name, routeProblem);
        }

        var permissions = ParsePermissions(context, location, contract, permission, allowAnonymous, requireAuthentication);
        if (rateLimit is not null)
        {
            string? problem = Rampart.RateLimiting.RateLimitPolicyText.TryParse(rateLimit, new List<(int, int)>());
            if (problem is not null)
            {
                context.Report(DiagnosticCatalogue.MalformedRateLimit, location, rateLimit, contract.Name, problem);
            }
        }

        bool useDefaultRateLimit = AttributeArguments.Named(attribute, "UseDefaultRateLimit") is not false;
        var rateLimitPartition = ParseRateLimitPartition(context, location, contract, attribute, rateLimit, useDefaultRateLimit);

        // Member sources: route parameters by name, the rest from the body (POST/PUT/PATCH) or the query.
        bool methodHasBody = Array.IndexOf(BodyMethods, method) >= 0;
        var properties = TypeAnalyzer.Properties(contract).ToList();
        var sources = new Dictionary<string, MemberSource>();
        foreach (var p in properties)
        {
            bool fromQuery = TypeAnalyzer.HasAttribute(p, "Microsoft.AspNetCore.Mvc.FromQueryAttribute");
            sources[p.Name] = fromQuery || !methodHasBody ? MemberSource.Query : MemberSource.Body;
        }

        foreach (string parameter in routeParameters)
        {
            var match = properties.FirstOrDefault(p => string.Equals(p.Name, parameter, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                context.Report(DiagnosticCatalogue.RouteParameterWithoutMember, location, parameter, contract.Name);
            }
            else
            {
                sources[match.Name] = MemberSource.Route;
            }
        }

        // OwnerId members: the authenticated caller, never a route, query or JSON value.
        bool ownerMember = false;
        foreach (var p in properties)
        {
            if (Names.Qualified(p.Type) != HandlerParser.OwnerIdType)
            {
                continue;
            }

            ownerMember = true;
            if (sources[p.Name] == MemberSource.Route || TypeAnalyzer.HasAttribute(p, "Microsoft.AspNetCore.Mvc.FromQueryAttribute"))
            {
                context.Report(DiagnosticCatalogue.OwnerFromRequest, p, p.Name, contract.Name, sources[p.Name] == MemberSource.Route ? "the route" : "the query string");
            }

            sources[p.Name] = MemberSource.Caller;
        }

        cancellationToken.ThrowIfCancellationRequested();
        string contractId = Names.Identifier(contract);
        var request = TypeAnalyzer.AnalyzeRequestObject(context, contract, contractId, isContract: true, sources);
        var handler = HandlerParser.Parse(context, contract);
        bool hasHook = ParseValidateHook(context, contract);
        bool ownerParameter = handler is not null && handler.Parameters.Any(p => p.Kind == ParameterKind.Owner);
        if (allowAnonymous && (ownerMember || ownerParameter))
        {
            context.Report(DiagnosticCatalogue.OwnerOnAnonymousContract, location, contract.Name);
        }

        if (request is null || handler is null || context.HasErrors)
        {
            return null;
        }

        string ns = contract.ContainingNamespace.IsGlobalNamespace ? string.Empty : contract.ContainingNamespace.ToDisplayString();
        string hintName = (ns.Length == 0 ? string.Empty : ns + ".") + string.Concat(containers.Select(c => c.Name + ".")) + contract.Name + ".g.cs";
        return new ContractModel(
            ns,
            containers.ToEquatableArray(),
            contract.Name,
            Names.Qualified(contract),
            Keyword(syntax),
            hintName,
            method,
            route,
            endpointName,
            permissions,
            allowAnonymous,
            rateLimit,
            useDefaultRateLimit,
            rateLimitPartition,
            request,
            context.RequestObjects.Where(o => o.Key != contractId && o.Value is not null).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value!).ToEquatableArray(),
            context.ResponseObjects.Where(o => o.Value is not null).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value!).ToEquatableArray(),
            context.Enums.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToEquatableArray(),
            context.Patterns.ToEquatableArray(),
            handler,
            hasHook,
            ParseContext.ToInfo(location));
    }

    // RateLimitPartition: an enum value the runtime knows, on a contract that applies a limit for it to partition.
    private static RateLimitPartitionModel ParseRateLimitPartition(ParseContext context, Location location, INamedTypeSymbol contract, AttributeData attribute, string? rateLimit, bool useDefaultRateLimit)
    {
        if (AttributeArguments.Named(attribute, "RateLimitPartition") is not int value || value == (int)RateLimitPartitionModel.Default)
        {
            return RateLimitPartitionModel.Default;
        }

        if (value != (int)RateLimitPartitionModel.ByAddress)
        {
            context.Report(DiagnosticCatalogue.RateLimitPartitionWithoutEffect, location, contract.Name,
                $"is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which is not a value of RateLimitPartitioning");
            return RateLimitPartitionModel.Default;
        }

        if (rateLimit is null && !useDefaultRateLimit)
        {
            context.Report(DiagnosticCatalogue.RateLimitPartitionWithoutEffect, location, contract.Name,
                "has no effect: the contract turns the default policy off (UseDefaultRateLimit = false) and declares no RateLimit");
        }

        return RateLimitPartitionModel.ByAddress;
    }

    private static EquatableArray<string> ParsePermissions(ParseContext context, Location location, INamedTypeSymbol contract, string? permission, bool allowAnonymous, bool requireAuthentication)
    {
        // Exactly one access rule: a permission list, any authenticated caller, or explicitly anonymous.
        bool hasPermission = !string.IsNullOrWhiteSpace(permission);
        var declared = new List<string>();
        if (hasPermission)
        {
            declared.Add("Permission");
        }

        if (requireAuthentication)
        {
            declared.Add("RequireAuthentication = true");
        }

        if (allowAnonymous)
        {
            declared.Add("AllowAnonymous = true");
        }

        if (declared.Count > 1)
        {
            context.Report(DiagnosticCatalogue.PermissionAndAnonymous, location, contract.Name, string.Join(" and ", declared));
        }
        else if (declared.Count == 0)
        {
            context.Report(DiagnosticCatalogue.NoAccessDeclared, location, contract.Name);
        }

        if (!hasPermission)
        {
            return EquatableArray<string>.Empty;
        }

        var list = new List<string>();
        foreach (string item in permission!.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!PermissionPattern.IsMatch(item))
            {
                context.Report(DiagnosticCatalogue.MalformedPermission, location, item, contract.Name);
            }
            else if (!list.Contains(item))
            {
                list.Add(item);
            }
        }

        return list.ToEquatableArray();
    }

    private static bool ParseValidateHook(ParseContext context, INamedTypeSymbol contract)
    {
        var hooks = contract.GetMembers("Validate").OfType<IMethodSymbol>().ToList();
        if (hooks.Count == 0)
        {
            return false;
        }

        var hook = hooks[0];
        bool valid = hooks.Count == 1
            && hook.IsStatic
            && hook.ReturnsVoid
            && hook.Parameters.Length == 2
            && SymbolEqualityComparer.Default.Equals(hook.Parameters[0].Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), contract)
            && hook.Parameters[0].RefKind is RefKind.None or RefKind.In
            && hook.Parameters[1].RefKind == RefKind.Ref
            && Names.Qualified(hook.Parameters[1].Type) == "global::Rampart.Validation.ValidationErrors";
        if (!valid)
        {
            context.Report(DiagnosticCatalogue.InvalidValidateHook, hook, contract.Name);
        }

        return valid;
    }

    private static string Keyword(TypeDeclarationSyntax syntax) => syntax switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };
}
