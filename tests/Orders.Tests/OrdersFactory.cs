using System.Threading;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Hosting;
using Rampart.RateLimiting;

namespace Orders.Tests;

/// <summary>
/// The sample for tests that are not about rate limits: every request is its own rate-limit
/// partition, so a test class can send more than the sample's 10/second without being throttled.
/// Rate limiting itself is tested with the real partitioning in <see cref="RateLimitTests"/>.
/// </summary>
public sealed class OrdersFactory : WebApplicationFactory<Program>
{
    private static long s_requests;

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.PostConfigure<RampartOptions>(o => o.RateLimitPartition = EachRequestAlone));

    private static PartitionKey EachRequestAlone(HttpContext context) =>
        PartitionKey.ForCustom("test-" + Interlocked.Increment(ref s_requests).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
