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
/// (invalid) — Rampart, FastEndpoints 8.3.0 (its FluentValidation validator), and a hand-written .NET 10
/// minimal API validated by AddValidation (compile-time request delegate and System.Text.Json source
/// generation, its fastest form). Rampart also sends its security headers on every response; the peers
/// send none. The global setup checks that all three give the same answers before anything is timed.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class PipelineBenchmarks
{
    // The FastEndpoints benchmark's request (its runner posts these values to /benchmark/ok/123), in
    // camelCase, the casing all three accept; the invalid one breaks three of the four rules.
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes("""{"firstName":"xxc","lastName":"yyy","age":23,"phoneNumbers":["1111111111","2222222222","3333333333","4444444444","5555555555"]}""");
    private static readonly byte[] Invalid = Encoding.UTF8.GetBytes("""{"firstName":"","lastName":"yyy","age":3,"phoneNumbers":[]}""");
    private const string Path = "/benchmark/ok/123";
    private const string ExpectedValid = """{"id":123,"name":"xxc yyy","age":23,"phoneNumber":"1111111111"}""";

    private WebApplication _rampart = null!, _minimal = null!, _fast = null!, _floor = null!;
    private HttpClient _rampartClient = null!, _minimalClient = null!, _fastClient = null!, _floorClient = null!;

    [Params("Valid", "Invalid")]
    public string Input { get; set; } = "Valid";

    [GlobalSetup]
    public async Task Setup()
    {
        (_rampart, _rampartClient) = await PipelineApps.RampartAsync();
        (_minimal, _minimalClient) = await PipelineApps.MinimalApiAsync();
        (_fast, _fastClient) = await PipelineApps.FastEndpointsAsync();
        (_floor, _floorClient) = await PipelineApps.FloorAsync();
        // Before anything is timed, every peer must give the same answers: the same 200 body for the
        // valid request, and a 400 naming the three broken members for the invalid one.
        foreach (var (name, client) in new[] { ("Rampart", _rampartClient), ("MinimalApi", _minimalClient), ("FastEndpoints", _fastClient) })
        {
            var (valid, validBody) = await SendForTextAsync(client, Valid);
            var (invalid, invalidBody) = await SendForTextAsync(client, Invalid);
            if (valid != 200 || validBody != ExpectedValid)
            {
                throw new System.InvalidOperationException($"{name} answered {valid} {validBody} to the valid request, not 200 {ExpectedValid}");
            }

            foreach (string member in new[] { "firstName", "age", "phoneNumbers" })
            {
                if (invalid != 400 || !invalidBody.Contains("\"" + member + "\"", System.StringComparison.OrdinalIgnoreCase))
                {
                    throw new System.InvalidOperationException($"{name} answered {invalid} {invalidBody} to the invalid request: not a 400 naming {member}");
                }
            }

            System.Console.WriteLine($"// {name}: valid -> {valid} {validBody}; invalid -> {invalid} {invalidBody}");
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var app in new[] { _rampart, _minimal, _fast, _floor })
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

    /// <summary>Not a peer: the shared TestServer/HttpClient/routing cost (a constant 200, body not read).</summary>
    [Benchmark]
    public Task<int> TestServerFloor() => SendAsync(_floorClient, Body);

    private byte[] Body => Input == "Valid" ? Valid : Invalid;

    private static async Task<int> SendAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        using var response = await client.PostAsync(Path, content);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }

    private static async Task<(int Status, string Body)> SendForTextAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        using var response = await client.PostAsync(Path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static readonly System.Net.Http.Headers.MediaTypeHeaderValue JsonType = new("application/json");
}
