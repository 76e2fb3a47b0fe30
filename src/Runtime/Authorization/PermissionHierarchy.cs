using System;
using System.Collections.Generic;

namespace Rampart.Authorization;

/// <summary>
/// Which granted permissions imply others, configured once at start-up, for example
/// <c>hierarchy.Imply("admin:*", "admin:read", "admin:write")</c>. Implication is transitive and exact:
/// nothing is implied unless listed (<c>admin:*</c> implies only what it is given, never another
/// resource's permissions, and no name matches by prefix).
/// </summary>
public sealed class PermissionHierarchy
{
    private readonly Dictionary<string, List<string>> _implies = new(StringComparer.Ordinal);

    /// <summary>
    /// Declares that holding <paramref name="granted"/> (<c>resource:action</c> or <c>resource:*</c>) also
    /// grants each of <paramref name="implied"/>. Malformed names throw at once.
    /// </summary>
    public PermissionHierarchy Imply(string granted, params string[] implied)
    {
        ArgumentNullException.ThrowIfNull(implied);
        Check(granted, nameof(granted));
        if (!_implies.TryGetValue(granted, out var list))
        {
            list = new List<string>();
            _implies[granted] = list;
        }

        foreach (string name in implied)
        {
            Check(name, nameof(implied));
            if (!string.Equals(name, granted, StringComparison.Ordinal) && !list.Contains(name))
            {
                list.Add(name);
            }
        }

        return this;
    }

    /// <summary>
    /// For each permission that some other permission implies, every permission that grants it
    /// (transitively). Computed once, at start-up.
    /// </summary>
    internal Dictionary<string, string[]> GrantersByPermission()
    {
        var granters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string root in _implies.Keys)
        {
            // Everything reachable from root (a cycle just ends the walk).
            var seen = new HashSet<string>(StringComparer.Ordinal) { root };
            var stack = new Stack<string>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                if (!_implies.TryGetValue(stack.Pop(), out var next))
                {
                    continue;
                }

                foreach (string implied in next)
                {
                    if (seen.Add(implied))
                    {
                        stack.Push(implied);
                        if (!granters.TryGetValue(implied, out var list))
                        {
                            list = new List<string>();
                            granters[implied] = list;
                        }

                        list.Add(root);
                    }
                }
            }
        }

        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var pair in granters)
        {
            pair.Value.Sort(StringComparer.Ordinal);
            result[pair.Key] = pair.Value.ToArray();
        }

        return result;
    }

    private static void Check(string name, string parameter)
    {
        if (!PermissionName.IsValid(name, allowWildcardAction: true))
        {
            throw new ArgumentException($"'{name}' is not a permission: use 'resource:action' (or 'resource:*') with lowercase letters, digits, '.', '_' or '-'.", parameter);
        }
    }
}
