using System.Security.Claims;

namespace Rampart;

/// <summary>
/// The caller of an endpoint, as established by authentication. A cheap view over the
/// request's <see cref="ClaimsPrincipal"/>; handlers take it as a parameter.
/// </summary>
public readonly struct Caller
{
    private readonly Authorization.PermissionPolicy? _permissions;

    /// <summary>Wraps the authenticated principal of the current request (default permission rules).</summary>
    public Caller(ClaimsPrincipal principal) => Principal = principal;

    /// <summary>Wraps the principal; <see cref="HasPermission"/> follows the application's permission rules.</summary>
    public Caller(ClaimsPrincipal principal, Authorization.PermissionPolicy permissions)
    {
        Principal = principal;
        _permissions = permissions;
    }

    /// <summary>The underlying principal.</summary>
    public ClaimsPrincipal Principal { get; }

    /// <summary>True when the request carried valid credentials.</summary>
    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    /// <summary>The subject (<c>sub</c>) of the caller, or null for anonymous callers.</summary>
    public string? Id => IsAuthenticated
        ? (Principal as Authentication.ReadOnlyClaimsPrincipal)?.Subject ?? Principal.FindFirst("sub")?.Value ?? Principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
        : null;

    /// <summary>True when the caller holds <paramref name="permission"/>, directly or through the permission hierarchy.</summary>
    public bool HasPermission(string permission) => (_permissions ?? Authorization.PermissionPolicy.Default).Has(Principal, permission);
}
