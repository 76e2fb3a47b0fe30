using System;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;

namespace Rampart.Benchmarks.Pipeline;

/// <summary>
/// Bytes allocated per request of the in-process pipeline, by app, without timing (so without the noise a
/// shared machine adds to time): <c>dotnet run -c Release --project benchmarks/Rampart.Benchmarks -- --allocations</c>.
/// Each app is warmed up, then <see cref="Requests"/> sequential requests are sent and the process-wide
/// allocated-bytes counter (precise) is read before and after. The TestServer floor (a constant answer,
/// body not read) is subtracted to give each app's own share, which the BenchmarkDotNet table cannot show
/// because about 9 KB of every request belongs to the TestServer and HttpClient.
/// </summary>
public static class AllocationBreakdown
{
    private const int Warmup = 3000;
    private const int Requests = 20000;

    public static async Task RunAsync()
    {
        var apps = new (string Name, Func<Task<(WebApplication App, HttpClient Client)>> Create)[]
        {
            ("TestServerFloor", PipelineApps.FloorAsync),
            ("Rampart", PipelineApps.RampartAsync),
            ("Rampart without security headers", () => PipelineApps.RampartAsync(securityHeaders: false)),
            ("Rampart, same headers precomputed", () => PipelineApps.RampartAsync(securityHeaders: false, precomputedHeaders: true)),
            ("MinimalApi", PipelineApps.MinimalApiAsync),
            ("FastEndpoints", PipelineApps.FastEndpointsAsync),
        };
        var inputs = new (string Name, byte[] Body)[]
        {
            ("Valid", Encoding.UTF8.GetBytes("""{"firstName":"xxc","lastName":"yyy","age":23,"phoneNumbers":["1111111111","2222222222","3333333333","4444444444","5555555555"]}""")),
            ("Invalid", Encoding.UTF8.GetBytes("""{"firstName":"","lastName":"yyy","age":3,"phoneNumbers":[]}""")),
        };

        Console.WriteLine("| app | input | bytes per request | minus the TestServer floor |");
        Console.WriteLine("|---|---|---:|---:|");
        var floor = new double[inputs.Length];
        foreach (var (name, create) in apps)
        {
            var (app, client) = await create();
            try
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    for (int n = 0; n < Warmup; n++)
                    {
                        await SendAsync(client, inputs[i].Body);
                    }

                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    for (int n = 0; n < Requests; n++)
                    {
                        await SendAsync(client, inputs[i].Body);
                    }

                    double perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Requests;
                    if (name == "TestServerFloor")
                    {
                        floor[i] = perRequest;
                    }

                    Console.WriteLine($"| {name} | {inputs[i].Name} | {perRequest:F0} | {perRequest - floor[i]:F0} |");
                }
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static async Task SendAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/benchmark/ok/123", content);
        await response.Content.ReadAsByteArrayAsync();
    }
}
