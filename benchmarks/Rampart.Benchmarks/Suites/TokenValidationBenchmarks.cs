using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Authentication;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// One bearer authentication through the hardened JwtBearer scheme (<c>HttpContext.AuthenticateAsync</c>,
/// with a request scope, the pre-checks and the in-memory revocation look-up), for an HS256 and an ES256
/// token seen before: with the validated-token cache (a SHA-256 of the token and a dictionary hit) and
/// without it (the full JsonWebTokenHandler validation every time).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class TokenValidationBenchmarks
{
    private readonly ECDsa _esKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _hsSecret = RandomNumberGenerator.GetBytes(32);
    private Target _hsCached = null!;
    private Target _hsUncached = null!;
    private Target _esCached = null!;
    private Target _esUncached = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hsCached = Build(cache: true, signingKeyId: "hs-1");
        _hsUncached = Build(cache: false, signingKeyId: "hs-1");
        _esCached = Build(cache: true, signingKeyId: "es-1");
        _esUncached = Build(cache: false, signingKeyId: "es-1");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hsCached.Services.Dispose();
        _hsUncached.Services.Dispose();
        _esCached.Services.Dispose();
        _esUncached.Services.Dispose();
        _esKey.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HS256")]
    public Task<bool> Hs256_Uncached() => AuthenticateAsync(_hsUncached);

    [Benchmark, BenchmarkCategory("HS256")]
    public Task<bool> Hs256_Cached() => AuthenticateAsync(_hsCached);

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public Task<bool> Es256_Uncached() => AuthenticateAsync(_esUncached);

    [Benchmark, BenchmarkCategory("ES256")]
    public Task<bool> Es256_Cached() => AuthenticateAsync(_esCached);

    private static async Task<bool> AuthenticateAsync(Target target)
    {
        await using var scope = target.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = target.Header;
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        return result.Succeeded ? true : throw new InvalidOperationException("The benchmark token was refused.", result.Failure);
    }

    private Target Build(bool cache, string signingKeyId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRampartAuthentication(options =>
        {
            options.Issuer = "https://issuer.rampart.bench";
            options.Audiences.Add("rampart-bench");
            options.Keys.Add(RampartSigningKey.FromEcdsa("es-1", _esKey));
            options.Keys.Add(RampartSigningKey.FromSecret("hs-1", _hsSecret));
            options.SigningKeyId = signingKeyId;
            options.EnableValidatedTokenCache = cache;
        });
        var provider = services.BuildServiceProvider();
        var token = provider.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read", "orders:write"]);
        var target = new Target(provider, "Bearer " + token.Token);
        // Seen once before: the cached variant measures a hit.
        AuthenticateAsync(target).GetAwaiter().GetResult();
        return target;
    }

    private sealed record Target(ServiceProvider Services, string Header);
}
