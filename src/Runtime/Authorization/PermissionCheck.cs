using System;
using System.Security.Claims;

namespace Rampart.Authorization;

/// <summary>
/// Checks permissions carried by an authenticated principal: the OAuth <c>scope</c> claim
/// (space-separated) and <c>permissions</c> claims (one value each). Generated endpoints call it
/// for every declared permission.
/// </summary>
public static class PermissionCheck
{
    /// <summary>The claim holding space-separated OAuth scopes.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The claim holding one permission per claim value.</summary>
    public const string PermissionsClaim = "permissions";

    /// <summary>True when <paramref name="principal"/> is authenticated and holds <paramref name="permission"/>.</summary>
    public static bool Has(ClaimsPrincipal? principal, string permission)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        foreach (var identity in principal.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.Claims)
            {
                if (claim.Type == PermissionsClaim)
                {
                    if (string.Equals(claim.Value, permission, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                else if (claim.Type == ScopeClaim && ContainsToken(claim.Value, permission))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Space-separated token search without splitting (no allocation).
    private static bool ContainsToken(string list, string token)
    {
        var span = list.AsSpan();
        while (!span.IsEmpty)
        {
            int space = span.IndexOf(' ');
            var item = space < 0 ? span : span[..space];
            if (item.SequenceEqual(token))
            {
                return true;
            }

            if (space < 0)
            {
                break;
            }

            span = span[(space + 1)..];
        }

        return false;
    }
}
