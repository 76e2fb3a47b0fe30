using System;
using System.Collections.Generic;
using System.Security.Claims;

namespace Rampart.Authorization;

/// <summary>
/// The application's permission rules resolved once at start-up: the claim names and the transitive
/// closure of the <see cref="PermissionHierarchy"/>. Endpoints compile their <see cref="PermissionCheck"/> from it.
/// </summary>
public sealed class PermissionPolicy
{
    private readonly Dictionary<string, string[]> _granters;

    /// <summary>Resolves <paramref name="options"/> (validated first).</summary>
    public PermissionPolicy(RampartAuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ScopeClaim = options.ScopeClaim;
        PermissionsClaim = options.PermissionsClaim;
        _granters = options.Hierarchy.GrantersByPermission();
    }

    /// <summary>The default rules: <c>scope</c> and <c>permissions</c> claims, no hierarchy.</summary>
    public static PermissionPolicy Default { get; } = new(new RampartAuthorizationOptions());

    /// <summary>The claim holding space-separated scopes.</summary>
    public string ScopeClaim { get; }

    /// <summary>The claim holding one permission per value.</summary>
    public string PermissionsClaim { get; }

    /// <summary>Compiles the check of an endpoint that requires every one of <paramref name="required"/>.</summary>
    public PermissionCheck Compile(IReadOnlyList<string> required)
    {
        ArgumentNullException.ThrowIfNull(required);
        var satisfiedBy = new string[required.Count][];
        for (int i = 0; i < required.Count; i++)
        {
            string permission = required[i];
            if (_granters.TryGetValue(permission, out var granters))
            {
                var all = new string[granters.Length + 1];
                all[0] = permission;
                granters.CopyTo(all, 1);
                satisfiedBy[i] = all;
            }
            else
            {
                satisfiedBy[i] = [permission];
            }
        }

        return new PermissionCheck(required, satisfiedBy, ScopeClaim, PermissionsClaim);
    }

    /// <summary>
    /// True when <paramref name="principal"/> holds <paramref name="permission"/>, directly or through the
    /// hierarchy. For checks inside handlers; generated endpoints use their precompiled <see cref="PermissionCheck"/>.
    /// </summary>
    public bool Has(ClaimsPrincipal? principal, string permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        return Compile([permission]).IsGranted(principal, out _);
    }
}
