using System.Collections.Generic;

namespace Rampart.Generator.Parsing;

/// <summary>
/// Checks a route template at compile time: literal segments and whole-segment <c>{name}</c>
/// parameters only. Types come from the bound member, so inline constraints are not needed.
/// </summary>
internal static class RouteTemplate
{
    public static string? Validate(string route, List<string> parameters)
    {
        if (string.IsNullOrEmpty(route) || route[0] != '/')
        {
            return "it must start with '/'";
        }

        if (route == "/")
        {
            return null;
        }

        if (route.EndsWith("/", System.StringComparison.Ordinal))
        {
            return "it must not end with '/'";
        }

        foreach (string segment in route.Substring(1).Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment ('//')";
            }

            if (segment[0] == '{')
            {
                if (segment[segment.Length - 1] != '}')
                {
                    return $"the segment '{segment}' must be a whole parameter '{{name}}'";
                }

                string name = segment.Substring(1, segment.Length - 2);
                if (name.IndexOfAny(new[] { ':', '?', '*', '=' }) >= 0)
                {
                    return $"the parameter '{segment}' uses a constraint, default, optional or catch-all marker; Rampart infers the type from the bound property";
                }

                if (!IsIdentifier(name))
                {
                    return $"the parameter name '{name}' is not an identifier";
                }

                foreach (string existing in parameters)
                {
                    if (string.Equals(existing, name, System.StringComparison.OrdinalIgnoreCase))
                    {
                        return $"the parameter '{name}' appears twice";
                    }
                }

                parameters.Add(name);
                continue;
            }

            foreach (char c in segment)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '-' or '.' or '_' or '~';
                if (!ok)
                {
                    return $"the segment '{segment}' contains '{c}'; literal segments use letters, digits, '-', '.', '_' and '~'";
                }
            }
        }

        return null;
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
