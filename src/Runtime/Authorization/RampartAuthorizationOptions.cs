namespace Rampart.Authorization;

/// <summary>
/// Authorization settings (<c>RampartOptions.Authorization</c>; configuration section
/// <c>Rampart:Authorization</c> for the claim names and the fallback switch).
/// </summary>
public sealed class RampartAuthorizationOptions
{
    /// <summary>The claim holding space-separated OAuth scopes (default <c>scope</c>).</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>The claim holding one permission per value (default <c>permissions</c>).</summary>
    public string PermissionsClaim { get; set; } = "permissions";

    /// <summary>Which granted permissions imply others (none by default).</summary>
    public PermissionHierarchy Hierarchy { get; } = new();

    /// <summary>
    /// Sets ASP.NET Core's fallback authorization policy so that endpoints mapped outside Rampart, with
    /// no authorization metadata of their own, require an authenticated caller (default true). Such an
    /// endpoint opts out with <c>.AllowAnonymous()</c>; set this to false to leave them open (not advised).
    /// Rampart's generated endpoints are unaffected: they authorize themselves.
    /// </summary>
    public bool RequireAuthenticatedUserByDefault { get; set; } = true;

    /// <summary>Checks the options and throws with a clear message when a value is unusable.</summary>
    public void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new System.InvalidOperationException(problem);
        }
    }

    /// <summary>What makes the options unusable, naming the setting; null when they are usable.</summary>
    internal string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ScopeClaim) || string.IsNullOrWhiteSpace(PermissionsClaim))
        {
            return "Rampart:Authorization:ScopeClaim and PermissionsClaim must be non-empty claim types.";
        }

        return string.Equals(ScopeClaim, PermissionsClaim, System.StringComparison.Ordinal)
            ? "Rampart:Authorization:ScopeClaim and PermissionsClaim must differ: one is space-separated, the other one permission per value."
            : null;
    }
}
