using System.Collections.Generic;
using Rampart;

namespace Orders.Contracts;

/// <summary>Lists the application's users: an administrator's endpoint (the brief's <c>require_permission('admin:read')</c>, checked by generated code).</summary>
[SecureEndpoint("GET", "/api/v1/admin/users", Permission = "admin:read")]
public sealed partial record ListUsers
{
    // A fixed directory until the sample keeps its users in its database.
    private static readonly UserSummary[] Directory =
    [
        new("alice", "Alice", ["orders:read", "orders:write"]),
        new("bob", "Bob", ["orders:read"]),
        new("carol", "Carol", ["admin:read", "orders:read"]),
    ];

    static UserList Handle() => new(Directory, Directory.Length);
}

/// <summary>A page of users.</summary>
public sealed record UserList(IReadOnlyList<UserSummary> Items, int Total);

/// <summary>A user and the permissions granted to them.</summary>
public sealed record UserSummary(string Id, string DisplayName, IReadOnlyList<string> Permissions);
