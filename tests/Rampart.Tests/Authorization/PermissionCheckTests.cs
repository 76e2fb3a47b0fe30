using System;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Rampart.Authorization;
using Xunit;

namespace Rampart.Tests.Authorization;

/// <summary>
/// The compiled permission check: scope tokens and permissions claims, all required, exact ordinal
/// matches only, the hierarchy as configured and nothing more, and no allocation on success.
/// </summary>
public sealed class PermissionCheckTests
{
    private static ClaimsPrincipal Principal(params Claim[] claims) =>
        new(new ClaimsIdentity(claims, "Bearer"));

    private static Claim Scope(string value) => new("scope", value);

    private static Claim Permission(string value) => new("permissions", value);

    private static PermissionCheck Check(params string[] required) => PermissionPolicy.Default.Compile(required);

    private static PermissionCheck Check(Action<RampartAuthorizationOptions> configure, params string[] required)
    {
        var options = new RampartAuthorizationOptions();
        configure(options);
        return new PermissionPolicy(options).Compile(required);
    }

    [Theory]
    [InlineData("orders:read")]
    [InlineData("openid orders:read profile")]
    [InlineData("  orders:read  ")]
    [InlineData("orders:write orders:read")]
    public void A_scope_token_grants_the_permission(string scope)
    {
        Assert.True(Check("orders:read").IsGranted(Principal(Scope(scope)), out string? missing));
        Assert.Null(missing);
    }

    [Fact]
    public void A_permissions_claim_value_grants_the_permission()
    {
        // A JSON array "permissions": ["a", "b"] arrives as one claim per item.
        var principal = Principal(Permission("orders:write"), Permission("orders:read"));
        Assert.True(Check("orders:read", "orders:write").IsGranted(principal, out _));
    }

    [Theory]
    [InlineData("orders:rea")]
    [InlineData("orders:read2")]
    [InlineData("xorders:read")]
    [InlineData("orders:readorders:write")]
    [InlineData("Orders:Read")]
    [InlineData("orders:read\t")]
    [InlineData("orders")]
    [InlineData("")]
    public void Nothing_matches_by_prefix_case_or_substring(string granted)
    {
        Assert.False(Check("orders:read").IsGranted(Principal(Scope(granted), Permission(granted)), out string? missing));
        Assert.Equal("orders:read", missing);
    }

    [Fact]
    public void Every_declared_permission_is_required_and_the_first_missing_one_is_named()
    {
        var check = Check("orders:read", "orders:write", "orders:delete");
        Assert.False(check.IsGranted(Principal(Scope("orders:read orders:delete")), out string? missing));
        Assert.Equal("orders:write", missing);
        Assert.True(check.IsGranted(Principal(Scope("orders:read"), Permission("orders:write"), Permission("orders:delete")), out _));
    }

    [Fact]
    public void Claims_of_other_types_and_unauthenticated_identities_grant_nothing()
    {
        var check = Check("orders:read");
        Assert.False(check.IsGranted(Principal(new Claim("scp", "orders:read"), new Claim("role", "orders:read")), out _));
        var unauthenticated = new ClaimsPrincipal(new ClaimsIdentity([Scope("orders:read")]));
        Assert.False(check.IsGranted(unauthenticated, out _));
        Assert.False(check.IsGranted(null, out _));

        // A second, authenticated identity does grant.
        unauthenticated.AddIdentity(new ClaimsIdentity([Permission("orders:read")], "Bearer"));
        Assert.True(check.IsGranted(unauthenticated, out _));
    }

    [Fact]
    public void Claim_names_are_configurable()
    {
        var check = Check(o =>
        {
            o.ScopeClaim = "scp";
            o.PermissionsClaim = "perms";
        }, "orders:read", "orders:write");
        Assert.True(check.IsGranted(Principal(new Claim("scp", "orders:read"), new Claim("perms", "orders:write")), out _));
        Assert.False(check.IsGranted(Principal(Scope("orders:read orders:write")), out _));
    }

    [Fact]
    public void The_hierarchy_implies_exactly_what_it_lists_transitively()
    {
        static void Configure(RampartAuthorizationOptions o) => o.Hierarchy
            .Imply("admin:*", "admin:read", "admin:write")
            .Imply("admin:write", "admin:audit");

        var admin = Principal(Scope("admin:*"));
        Assert.True(Check(Configure, "admin:read").IsGranted(admin, out _));
        Assert.True(Check(Configure, "admin:audit").IsGranted(admin, out _));
        Assert.True(Check(Configure, "admin:audit").IsGranted(Principal(Permission("admin:write")), out _));
        Assert.False(Check(Configure, "orders:read").IsGranted(admin, out _));
        Assert.False(Check(Configure, "admin:delete").IsGranted(admin, out _));
        Assert.False(Check(Configure, "admin:read").IsGranted(Principal(Scope("admin:audit admin:write2 admin:")), out _));

        // Implication is one-way.
        Assert.False(Check(Configure, "admin:write").IsGranted(Principal(Scope("admin:audit")), out _));
    }

    [Fact]
    public void A_cycle_in_the_hierarchy_is_harmless()
    {
        var check = Check(o => o.Hierarchy.Imply("a:x", "a:y").Imply("a:y", "a:x"), "a:x", "a:y");
        Assert.True(check.IsGranted(Principal(Scope("a:y")), out _));
        Assert.False(check.IsGranted(Principal(Scope("a:z")), out _));
    }

    [Theory]
    [InlineData("Admin:*")]
    [InlineData("admin")]
    [InlineData("admin:")]
    [InlineData("*:read")]
    [InlineData("admin:read write")]
    public void Malformed_hierarchy_names_fail_at_configuration(string name)
    {
        Assert.Throws<ArgumentException>(() => new PermissionHierarchy().Imply(name, "admin:read"));
        Assert.Throws<ArgumentException>(() => new PermissionHierarchy().Imply("admin:*", name));
    }

    [Fact]
    public void Unusable_claim_names_fail_at_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => new PermissionPolicy(new RampartAuthorizationOptions { ScopeClaim = " " }));
        Assert.Throws<InvalidOperationException>(() => new PermissionPolicy(new RampartAuthorizationOptions { PermissionsClaim = "scope" }));
    }

    [Fact]
    public void Caller_HasPermission_follows_the_application_rules()
    {
        var options = new RampartAuthorizationOptions();
        options.Hierarchy.Imply("admin:*", "admin:read");
        var principal = Principal(Scope("admin:*"));
        Assert.True(new Caller(principal, new PermissionPolicy(options)).HasPermission("admin:read"));
        Assert.False(new Caller(principal).HasPermission("admin:read"));
    }

    [Fact]
    public void IsAuthenticated_is_true_when_any_identity_is_authenticated()
    {
        Assert.False(PermissionCheck.IsAuthenticated(null));
        Assert.False(PermissionCheck.IsAuthenticated(new ClaimsPrincipal()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity([Scope("orders:read")]));
        Assert.False(PermissionCheck.IsAuthenticated(principal));
        principal.AddIdentity(new ClaimsIdentity([new Claim("sub", "alice")], "Bearer"));
        Assert.True(PermissionCheck.IsAuthenticated(principal));
    }

    [Fact]
    public void The_authentication_test_before_the_check_allocates_nothing()
    {
        var principal = Principal(new Claim("sub", "alice"), Scope("orders:read"));
        bool all = true;
        for (int i = 0; i < 100; i++)
        {
            all &= PermissionCheck.IsAuthenticated(principal);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            all &= PermissionCheck.IsAuthenticated(principal);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(all);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the shared read-only principal of a validated-token cache hit
    public void A_granted_check_allocates_nothing(bool cached)
    {
        // A token-shaped principal: the claims a validated access token carries, scope last but one,
        // in the identity type the JsonWebTokenHandler produces.
        var identity = new CaseSensitiveClaimsIdentity(
        [
            new Claim("iss", "https://issuer.example"), new Claim("aud", "orders-api"), new Claim("sub", "alice"),
            new Claim("jti", "8c3a0f"), new Claim("iat", "1764300000"), new Claim("exp", "1764303600"),
            Permission("orders:export"), Scope("openid profile orders:read orders:write"), new Claim("client_id", "web"),
        ], "AuthenticationTypes.Federation");
        ClaimsPrincipal principal = cached ? Rampart.Authentication.ReadOnlyClaimsPrincipal.TryCreate(new ClaimsPrincipal(identity))! : new ClaimsPrincipal(identity);
        var check = Check(o => o.Hierarchy.Imply("orders:*", "orders:read"), "orders:read", "orders:write", "orders:export");

        bool all = true;
        for (int i = 0; i < 100; i++)
        {
            all &= check.IsGranted(principal, out _); // warm-up: JIT and tiering
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            all &= check.IsGranted(principal, out _);
            all &= PermissionCheck.IsAuthenticated(principal);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(all);
        Assert.Equal(0, allocated);
    }
}
