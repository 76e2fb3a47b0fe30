namespace Rampart.Authorization;

/// <summary>
/// The shape of a permission: <c>resource:action</c>, each part of lowercase letters, digits, '.', '_'
/// or '-'. The generator checks contracts against the same rule at compile time (RAMP0015).
/// </summary>
public static class PermissionName
{
    /// <summary>
    /// True when <paramref name="name"/> is <c>resource:action</c>; with <paramref name="allowWildcardAction"/>,
    /// <c>resource:*</c> too (a name that can be granted and implied, never required by a contract).
    /// </summary>
    public static bool IsValid(string? name, bool allowWildcardAction = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        int colon = name.IndexOf(':');
        if (colon <= 0 || colon == name.Length - 1)
        {
            return false;
        }

        for (int i = 0; i < colon; i++)
        {
            if (!IsNameChar(name[i]))
            {
                return false;
            }
        }

        if (allowWildcardAction && colon == name.Length - 2 && name[^1] == '*')
        {
            return true;
        }

        for (int i = colon + 1; i < name.Length; i++)
        {
            if (!IsNameChar(name[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';
}
