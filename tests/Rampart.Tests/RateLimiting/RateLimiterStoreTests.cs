using System;
using System.Net;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Rampart.RateLimiting;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.RateLimiting;

/// <summary>A user's own System.Threading.RateLimiting limiter as the store of generated endpoints.</summary>
public sealed class RateLimiterStoreTests
{
    private static PartitionedRateLimiter<PartitionKey> TwoPerMinute() =>
        PartitionedRateLimiter.Create<PartitionKey, PartitionKey>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = 2, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    [Fact]
    public async Task The_limiter_decides_and_its_retry_after_is_reported()
    {
        using var limiter = TwoPerMinute();
        var store = new RateLimiterStore(limiter);
        var policy = RateLimitPolicy.Parse("p", "2/minute");
        var key = PartitionKey.ForSubject("alice");
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await store.AcquireAsync(key, policy, ct)).IsAllowed);
        Assert.True((await store.AcquireAsync(key, policy, ct)).IsAllowed);
        var refused = await store.AcquireAsync(key, policy, ct);
        Assert.False(refused.IsAllowed);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.True((await store.AcquireAsync(PartitionKey.ForSubject("bob"), policy, ct)).IsAllowed);
    }

    [Fact]
    public async Task Generated_endpoints_use_a_registered_limiter_store()
    {
        var ct = TestContext.Current.CancellationToken;
        using var limiter = TwoPerMinute();
        var builder = TestApp.CreateBuilder(null, out _);
        builder.Services.AddSingleton<IRateLimitStore>(new RateLimiterStore(limiter));
        builder.AddRampart(TestApp.SmallLimits);
        await using var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync(ct);
        using var client = TestApp.CreateClient(app);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sink/int/1", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sink/int/2", ct)).StatusCode);
        using var limited = await client.GetAsync("/sink/int/3", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        await app.StopAsync(ct);
    }
}
