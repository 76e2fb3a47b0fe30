using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Rampart.Benchmarks.Pipeline;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// The FastEndpoints benchmark scenario end to end in process (TestServer): POST /benchmark/ok/{id}
/// with FirstName, LastName, Age and PhoneNumbers, validated, answered with JSON (valid) or 400
/// (invalid) — Rampart, FastEndpoints 8.3.0, and a hand-written .NET 10 minimal API with AddValidation.
/// Rampart also sends its security headers on every response; the peers send none.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class PipelineBenchmarks
{
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes("""{"firstName":"xxx","lastName":"yyy","age":23,"phoneNumbers":["1111111111","2222222222"]}""");
    private static readonly byte[] Invalid = Encoding.UTF8.GetBytes("""{"firstName":"","lastName":"yyy","age":3,"phoneNumbers":[]}""");

    private WebApplication _rampart = null!, _minimal = null!, _fast = null!;
    private HttpClient _rampartClient = null!, _minimalClient = null!, _fastClient = null!;

    [Params("Valid", "Invalid")]
    public string Input { get; set; } = "Valid";

    [GlobalSetup]
    public async Task Setup()
    {
        (_rampart, _rampartClient) = await PipelineApps.RampartAsync();
        (_minimal, _minimalClient) = await PipelineApps.MinimalApiAsync();
        (_fast, _fastClient) = await PipelineApps.FastEndpointsAsync();
        foreach (var client in new[] { _rampartClient, _minimalClient, _fastClient })
        {
            int valid = await SendAsync(client, Valid);
            int invalid = await SendAsync(client, Invalid);
            if (valid != 200 || invalid != 400)
            {
                throw new System.InvalidOperationException($"peer answered {valid}/{invalid} instead of 200/400");
            }
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var app in new[] { _rampart, _minimal, _fast })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Benchmark]
    public Task<int> Rampart() => SendAsync(_rampartClient, Body);

    [Benchmark(Baseline = true)]
    public Task<int> MinimalApi() => SendAsync(_minimalClient, Body);

    [Benchmark]
    public Task<int> FastEndpoints() => SendAsync(_fastClient, Body);

    private byte[] Body => Input == "Valid" ? Valid : Invalid;

    private static async Task<int> SendAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/benchmark/ok/42", content);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }
}
