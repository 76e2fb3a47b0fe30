using System;
using System.Collections.Generic;
using System.Numerics;
using System.Security.Claims;

namespace Rampart.Authorization;

/// <summary>
/// The permission check of one endpoint, compiled once when the endpoint is mapped: the declared
/// permissions and, for each, every granted permission that satisfies it (itself and those the
/// <see cref="PermissionHierarchy"/> says imply it). A request only compares claim values with these
/// strings, exactly and ordinally: no splitting, no LINQ, nothing allocated.
/// </summary>
public sealed class PermissionCheck
{
    // One bit per required permission: at most 64, far more than any contract declares.
    private const int MaxPermissions = 64;
    private readonly string[] _required;
    private readonly string[][] _satisfiedBy;
    private readonly ulong _all;
    private readonly string _scopeClaim;
    private readonly string _permissionsClaim;

    internal PermissionCheck(IReadOnlyList<string> required, string[][] satisfiedBy, string scopeClaim, string permissionsClaim)
    {
        if (required.Count > MaxPermissions)
        {
            throw new ArgumentException($"An endpoint may require at most {MaxPermissions} permissions.", nameof(required));
        }

        _required = new string[required.Count];
        for (int i = 0; i < _required.Length; i++)
        {
            _required[i] = required[i];
        }

        _satisfiedBy = satisfiedBy;
        _all = _required.Length == MaxPermissions ? ulong.MaxValue : (1UL << _required.Length) - 1;
        _scopeClaim = scopeClaim;
        _permissionsClaim = permissionsClaim;
    }

    /// <summary>
    /// True when one of the identities of <paramref name="principal"/> is authenticated — the test of ASP.NET
    /// Core's <c>RequireAuthenticatedUser()</c> — without the enumerator that <c>principal.Identity</c> allocates.
    /// </summary>
    public static bool IsAuthenticated(ClaimsPrincipal? principal)
    {
        if (principal is null)
        {
            return false;
        }

        if (principal is Authentication.ReadOnlyClaimsPrincipal shared)
        {
            foreach (var identity in shared.IdentityArray)
            {
                if (identity.IsAuthenticated)
                {
                    return true;
                }
            }

            return false;
        }

        if (principal.Identities is List<ClaimsIdentity> identities)
        {
            foreach (var identity in identities)
            {
                if (identity is { IsAuthenticated: true })
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var identity in principal.Identities)
        {
            if (identity is { IsAuthenticated: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The permissions the caller must all hold.</summary>
    public IReadOnlyList<string> Required => _required;

    /// <summary>
    /// True when the authenticated identities of <paramref name="principal"/> hold every required
    /// permission; otherwise false and the first one missing in <paramref name="missing"/>.
    /// </summary>
    public bool IsGranted(ClaimsPrincipal? principal, out string? missing)
    {
        ulong pending = _all;
        if (pending != 0 && principal is not null)
        {
            // The concrete lists are walked with their struct enumerators: enumerating them as
            // IEnumerable would allocate on every request.
            if (principal is Authentication.ReadOnlyClaimsPrincipal shared)
            {
                // A cached token's principal (read-only views over arrays): walked over the arrays themselves.
                foreach (var identity in shared.IdentityArray)
                {
                    pending = Scan(identity, pending);
                    if (pending == 0)
                    {
                        break;
                    }
                }
            }
            else if (principal.Identities is List<ClaimsIdentity> identities)
            {
                foreach (var identity in identities)
                {
                    pending = Scan(identity, pending);
                    if (pending == 0)
                    {
                        break;
                    }
                }
            }
            else
            {
                foreach (var identity in principal.Identities)
                {
                    pending = Scan(identity, pending);
                    if (pending == 0)
                    {
                        break;
                    }
                }
            }
        }

        missing = pending == 0 ? null : _required[BitOperations.TrailingZeroCount(pending)];
        return pending == 0;
    }

    private ulong Scan(ClaimsIdentity? identity, ulong pending)
    {
        // Claims of an unauthenticated identity grant nothing.
        if (identity is null || !identity.IsAuthenticated)
        {
            return pending;
        }

        if (identity is Authentication.ReadOnlyClaimsIdentity shared)
        {
            foreach (var claim in shared.ClaimArray)
            {
                pending = Mark(claim, pending);
                if (pending == 0)
                {
                    return 0;
                }
            }
        }
        else if (identity.Claims is List<Claim> claims)
        {
            foreach (var claim in claims)
            {
                pending = Mark(claim, pending);
                if (pending == 0)
                {
                    return 0;
                }
            }
        }
        else
        {
            foreach (var claim in identity.Claims)
            {
                pending = Mark(claim, pending);
                if (pending == 0)
                {
                    return 0;
                }
            }
        }

        return pending;
    }

    private ulong Mark(Claim claim, ulong pending)
    {
        string type = claim.Type;
        if (string.Equals(type, _permissionsClaim, StringComparison.Ordinal))
        {
            // One permission per claim value (a JSON array in the token becomes one claim per item).
            return MarkGranted(claim.Value, pending);
        }

        if (!string.Equals(type, _scopeClaim, StringComparison.Ordinal))
        {
            return pending;
        }

        // OAuth scope: space-separated tokens (RFC 6749 §3.3), walked without splitting.
        var rest = claim.Value.AsSpan();
        while (!rest.IsEmpty && pending != 0)
        {
            int space = rest.IndexOf(' ');
            var token = space < 0 ? rest : rest[..space];
            if (!token.IsEmpty)
            {
                pending = MarkGranted(token, pending);
            }

            rest = space < 0 ? ReadOnlySpan<char>.Empty : rest[(space + 1)..];
        }

        return pending;
    }

    // Clears the bit of every still-missing requirement that the granted permission satisfies.
    private ulong MarkGranted(ReadOnlySpan<char> granted, ulong pending)
    {
        ulong remaining = pending;
        while (remaining != 0)
        {
            int i = BitOperations.TrailingZeroCount(remaining);
            remaining &= remaining - 1;
            foreach (string candidate in _satisfiedBy[i])
            {
                if (granted.SequenceEqual(candidate))
                {
                    pending &= ~(1UL << i);
                    break;
                }
            }
        }

        return pending;
    }
}
