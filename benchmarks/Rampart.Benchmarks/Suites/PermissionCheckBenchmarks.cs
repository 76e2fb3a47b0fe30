using System;
using System.Security.Claims;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Rampart.Authorization;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// One granted permission check on a token-shaped principal: Rampart's compiled <see cref="PermissionCheck"/>
/// (as a generated endpoint calls it) against ASP.NET Core's <see cref="IAuthorizationService"/> with the
/// policies an application would write for the same rule — <c>RequireClaim("permissions", …)</c> for a
/// permissions claim, and a <c>RequireAssertion</c> that splits the space-separated <c>scope</c> claim.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class PermissionCheckBenchmarks
{
    private ClaimsPrincipal _scopeCaller = null!;
    private ClaimsPrincipal _permissionsCaller = null!;
    private PermissionCheck _check = null!;
    private PermissionCheck _checkThree = null!;
    private ServiceProvider _services = null!;
    private IAuthorizationService _authorization = null!;
    private AuthorizationPolicy _requireClaim = null!;
    private AuthorizationPolicy _scopeAssertion = null!;
    private AuthorizationPolicy _scopeAssertionThree = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scopeCaller = Caller(new Claim("scope", "openid profile orders:read orders:write orders:export"));
        _permissionsCaller = Caller(new Claim("permissions", "orders:write"), new Claim("permissions", "orders:export"), new Claim("permissions", "orders:read"));

        var options = new RampartAuthorizationOptions();
        options.Hierarchy.Imply("orders:*", "orders:read", "orders:write");
        var policy = new PermissionPolicy(options);
        _check = policy.Compile(["orders:read"]);
        _checkThree = policy.Compile(["orders:read", "orders:write", "orders:export"]);

        _services = new ServiceCollection().AddLogging().AddAuthorizationCore().BuildServiceProvider();
        _authorization = _services.GetRequiredService<IAuthorizationService>();
        _requireClaim = new AuthorizationPolicyBuilder().RequireClaim("permissions", "orders:read").Build();
        _scopeAssertion = new AuthorizationPolicyBuilder().RequireAssertion(c => HasScope(c.User, "orders:read")).Build();
        _scopeAssertionThree = new AuthorizationPolicyBuilder()
            .RequireAssertion(c => HasScope(c.User, "orders:read") && HasScope(c.User, "orders:write") && HasScope(c.User, "orders:export"))
            .Build();

        // Every peer must grant before anything is timed.
        if (!(Rampart_Scope() && Rampart_PermissionsClaim() && Rampart_Scope_ThreePermissions()
            && AuthorizationService_RequireClaim() && AuthorizationService_ScopeAssertion() && AuthorizationService_ScopeAssertion_ThreePermissions()))
        {
            throw new InvalidOperationException("A peer did not grant the permission.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public bool Rampart_Scope() => _check.IsGranted(_scopeCaller, out _);

    [Benchmark]
    public bool Rampart_PermissionsClaim() => _check.IsGranted(_permissionsCaller, out _);

    [Benchmark]
    public bool Rampart_Scope_ThreePermissions() => _checkThree.IsGranted(_scopeCaller, out _);

    [Benchmark]
    public bool AuthorizationService_RequireClaim() => Succeeded(_authorization.AuthorizeAsync(_permissionsCaller, null, _requireClaim));

    [Benchmark]
    public bool AuthorizationService_ScopeAssertion() => Succeeded(_authorization.AuthorizeAsync(_scopeCaller, null, _scopeAssertion));

    [Benchmark]
    public bool AuthorizationService_ScopeAssertion_ThreePermissions() => Succeeded(_authorization.AuthorizeAsync(_scopeCaller, null, _scopeAssertionThree));

    // The handlers complete synchronously; the task is already finished.
    private static bool Succeeded(Task<AuthorizationResult> task) => task.GetAwaiter().GetResult().Succeeded;

    // The usual hand-written scope test: split the claim and look for the token.
    private static bool HasScope(ClaimsPrincipal user, string scope)
    {
        foreach (var claim in user.FindAll("scope"))
        {
            if (Array.IndexOf(claim.Value.Split(' '), scope) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // The claims a validated access token carries, in the identity type the JsonWebTokenHandler produces.
    private static ClaimsPrincipal Caller(params Claim[] permissionClaims)
    {
        var identity = new CaseSensitiveClaimsIdentity(
        [
            new Claim("iss", "https://issuer.example"), new Claim("aud", "orders-api"), new Claim("sub", "alice"),
            new Claim("jti", "8c3a0f"), new Claim("iat", "1764300000"), new Claim("exp", "1764303600"),
        ], "AuthenticationTypes.Federation");
        identity.AddClaims(permissionClaims);
        identity.AddClaim(new Claim("client_id", "web"));
        return new ClaimsPrincipal(identity);
    }
}
