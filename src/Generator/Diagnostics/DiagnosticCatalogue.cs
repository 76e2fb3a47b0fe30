using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Diagnostics;

/// <summary>
/// Every diagnostic Rampart reports, numbered. Each id has an entry in docs/diagnostics.md and a
/// test that triggers it and one that does not.
/// </summary>
internal static class DiagnosticCatalogue
{
    private const string Category = "Rampart";
    private const string HelpBase = "https://github.com/rampart-dotnet/rampart/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor ContractNotPartial = Error("RAMP0001", "Contract must be a partial record",
        "'{0}' must be declared 'partial record' (or 'partial record struct'){1}, so Rampart can add its generated endpoint to it");

    public static readonly DiagnosticDescriptor InvalidRoute = Error("RAMP0002", "Invalid route template",
        "The route '{0}' of '{1}' is not valid: {2}");

    public static readonly DiagnosticDescriptor RouteParameterWithoutMember = Error("RAMP0003", "Route parameter has no matching property",
        "The route parameter '{{{0}}}' of '{1}' has no property of the same name to bind to");

    public static readonly DiagnosticDescriptor UnsupportedMemberType = Error("RAMP0004", "Unsupported member type",
        "The member '{0}' of '{1}' has type '{2}', which Rampart cannot bind {3}");

    public static readonly DiagnosticDescriptor InvalidPattern = Error("RAMP0005", "Invalid regular expression",
        "The pattern on '{0}' is not usable: {1}");

    public static readonly DiagnosticDescriptor MinimumGreaterThanMaximum = Error("RAMP0006", "Minimum greater than maximum",
        "The [{0}] on '{1}' has a minimum ({2}) greater than its maximum ({3})");

    public static readonly DiagnosticDescriptor MissingHandler = Error("RAMP0007", "Missing handler",
        "'{0}' has no handler: declare 'static ValueTask<TResult> HandleAsync(...)' or 'static TResult Handle(...)' on the contract{1}");

    public static readonly DiagnosticDescriptor AmbiguousHandler = Error("RAMP0008", "Ambiguous handler",
        "'{0}' declares {1} handler methods; declare exactly one 'HandleAsync' or 'Handle'");

    public static readonly DiagnosticDescriptor ParameterCannotBeInjected = Error("RAMP0009", "Handler parameter cannot be injected",
        "The handler parameter '{0}' of type '{1}' cannot be injected: use the contract, Caller, OwnerId, ClaimsPrincipal, HttpContext, CancellationToken or a service registered in DI{2}");

    public static readonly DiagnosticDescriptor DuplicateRoute = Error("RAMP0010", "Duplicate method and route",
        "'{0}' maps {1} {2}, which '{3}' maps already");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("RAMP0011", "Unsupported handler return type",
        "The handler of '{0}' returns '{1}'; return a response record, a typed result (Ok, Created, NoContent, NotFound, ProblemHttpResult, …) or Results<…>, optionally in Task or ValueTask");

    public static readonly DiagnosticDescriptor UncompilableValidation = Error("RAMP0012", "Validation attribute cannot be compiled",
        "[{0}] on '{1}' cannot be compiled{2}; Rampart never falls back to reflection: use a supported attribute or the contract's static Validate hook");

    public static readonly DiagnosticDescriptor NoAccessDeclared = Error("RAMP0013", "Contract declares no access rule",
        "'{0}' declares no access rule; add Permission = \"resource:action\" (or RequireAuthentication = true for any signed-in caller, or AllowAnonymous = true for a public endpoint)");

    public static readonly DiagnosticDescriptor PermissionAndAnonymous = Error("RAMP0014", "Conflicting access rules",
        "'{0}' declares {1}; keep one");

    public static readonly DiagnosticDescriptor MalformedPermission = Error("RAMP0015", "Malformed permission",
        "The permission '{0}' of '{1}' is malformed: use 'resource:action' with lowercase letters, digits, '.', '_' or '-'");

    public static readonly DiagnosticDescriptor UnboundedMember = new("RAMP0016", "Unbounded request string or collection",
        "The member '{0}' of '{1}' declares no maximum length; the configured default (Rampart:Default{2}) applies. Declare [MaxLength], [StringLength] or [Length].",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "ramp0016");

    public static readonly DiagnosticDescriptor UnsupportedHttpMethod = Error("RAMP0017", "Unsupported HTTP method",
        "'{0}' uses the HTTP method '{1}'; use GET, POST, PUT, PATCH or DELETE");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error("RAMP0018", "Rampart generator failure",
        "Rampart could not generate '{0}': {1}. Please report this with the contract that caused it");

    public static readonly DiagnosticDescriptor InvalidValidateHook = Error("RAMP0019", "Invalid Validate hook",
        "'{0}' declares a Validate method that Rampart does not recognise; the custom-rule hook is 'static void Validate({0} request, ref ValidationErrors? errors)'");

    public static readonly DiagnosticDescriptor NonConstantDefault = Error("RAMP0020", "Optional member default must be a constant",
        "The optional member '{0}' of '{1}' has an initializer that is not a compile-time constant; make it constant or make the member required");

    public static readonly DiagnosticDescriptor MalformedRateLimit = Error("RAMP0021", "Malformed rate-limit policy",
        "The rate limit '{0}' of '{1}' is malformed: {2}; use rules like \"10/second\" or \"100 per minute; 1000/hour\"");

    public static readonly DiagnosticDescriptor UnclassifiedSecret = new("RAMP0022", "Secret-looking member without a data classification",
        "The member '{0}' of '{1}' looks like a secret; it is redacted from request logs as [Sensitive], but mark it [Sensitive] (or another data classification) to say so",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "ramp0022");

    public static readonly DiagnosticDescriptor OwnerOnAnonymousContract = Error("RAMP0023", "OwnerId on an anonymous contract",
        "'{0}' binds an OwnerId from the authenticated caller but declares AllowAnonymous = true; an anonymous caller owns nothing: declare Permission = \"resource:action\" instead");

    public static readonly DiagnosticDescriptor OwnerFromRequest = Error("RAMP0024", "OwnerId bound from the request",
        "The OwnerId member '{0}' of '{1}' would be read from {2}; an owner id comes only from the authenticated caller: remove the route parameter or [FromQuery]");

    public static readonly DiagnosticDescriptor RateLimitPartitionWithoutEffect = Error("RAMP0025", "Rate-limit partition without effect",
        "The RateLimitPartition of '{0}' {1}; declare a RateLimit (or keep the default policy), or remove RateLimitPartition");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        ContractNotPartial, InvalidRoute, RouteParameterWithoutMember, UnsupportedMemberType, InvalidPattern,
        MinimumGreaterThanMaximum, MissingHandler, AmbiguousHandler, ParameterCannotBeInjected, DuplicateRoute,
        UnsupportedReturnType, UncompilableValidation, NoAccessDeclared, PermissionAndAnonymous, MalformedPermission,
        UnboundedMember, UnsupportedHttpMethod, GeneratorFailure, InvalidValidateHook, NonConstantDefault,
        MalformedRateLimit, UnclassifiedSecret, OwnerOnAnonymousContract, OwnerFromRequest,
        RateLimitPartitionWithoutEffect,
    }.Concat(DataAccessDiagnostics.All).ToArray();

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => ById[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
