using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>
/// The default headers are written from constants instead of through the general policy engine
/// (NetEscapades). They must be exactly what that engine produces for the same default policy, on
/// successes and errors, over HTTPS to a public name (HSTS) and to localhost (no HSTS).
/// </summary>
public sealed class DefaultSecurityHeadersTests
{
    public static TheoryData<string, string, string?> Cases => new()
    {
        { "GET", "/sink/int/5", "api.example.test" },
        { "GET", "/sink/int/5", null },
        { "GET", "/sink/int/not-a-number", "api.example.test" },
        { "GET", "/nowhere", "api.example.test" },
        { "POST", "/sink/explode", "api.example.test" },
        { "POST", "/sink/explode", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_constant_headers_equal_the_policy_engines_output(string method, string path, string? host)
    {
        var fast = await HeadersAsync(customised: false, method, path, host);
        var engine = await HeadersAsync(customised: true, method, path, host);

        Assert.Equal(engine.Status, fast.Status);
        Assert.Equal(engine.Headers, fast.Headers);
        Assert.Contains(fast.Headers, h => h.StartsWith("Permissions-Policy: ", StringComparison.Ordinal));
        Assert.Equal(host is not null, fast.Headers.Any(h => h.StartsWith("Strict-Transport-Security: ", StringComparison.Ordinal)));
    }

    // The security-relevant response headers, sorted ("Name: value"); Date and content headers vary or are the body's.
    private static async Task<(int Status, List<string> Headers)> HeadersAsync(bool customised, string method, string path, string? host)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = TestApp.CreateBuilder(null, out _);
        builder.AddRampart(o =>
        {
            TestApp.SmallLimits(o);
            o.DefaultRateLimit = null;
            if (customised)
            {
                // A customisation that changes nothing still goes through the general engine.
                o.SecurityHeaders = _ => { };
            }
        });
        await using var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync(ct);
        using var client = TestApp.CreateClient(app);
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"secret":"abc"}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, ct);
        var headers = response.Headers
            .Where(h => h.Key is not ("Date" or "Transfer-Encoding"))
            .Select(h => h.Key + ": " + string.Join(", ", h.Value))
            .OrderBy(h => h, StringComparer.Ordinal)
            .ToList();
        await app.StopAsync(ct);
        return ((int)response.StatusCode, headers);
    }
}
