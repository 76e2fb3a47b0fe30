using System;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Orders.Contracts;
using Rampart.Benchmarks.Models;
using Rampart.Benchmarks.Peers;
using Rampart.Binding;

namespace Rampart.Benchmarks.Suites;

/// <summary>
/// Binding the FastEndpoints benchmark body (UTF-8 bytes) to the contract: Rampart's generated strict
/// reader, System.Text.Json's source-generated deserializer (the baseline), and a hand-written
/// Utf8JsonReader loop.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class FastEndpointsRequestBinding
{
    private readonly byte[] _body = Inputs.FastEndpointsBody;
    private readonly JsonLimits _limits = JsonLimits.Default;

    [GlobalSetup]
    public void Setup()
    {
        var expected = Inputs.FastEndpoints(Input.Valid);
        Same(expected, Rampart(), nameof(Rampart));
        Same(expected, SystemTextJsonSourceGen(), nameof(SystemTextJsonSourceGen));
        Same(expected, HandWrittenReader(), nameof(HandWrittenReader));
    }

    [Benchmark]
    public FastEndpointsRequest? Rampart()
    {
        FastEndpointsRequest.RampartEndpoint.TryReadJson(_body, _limits, out var value, out _);
        return value;
    }

    [Benchmark(Baseline = true)]
    public FastEndpointsRequest? SystemTextJsonSourceGen() => JsonSerializer.Deserialize(_body, BenchmarkJsonContext.Default.FastEndpointsRequest);

    [Benchmark]
    public FastEndpointsRequest? HandWrittenReader() => HandWrittenJson.ReadFastEndpoints(_body);

    private static void Same(FastEndpointsRequest expected, FastEndpointsRequest? actual, string peer)
    {
        if (actual is null || actual.FirstName != expected.FirstName || actual.LastName != expected.LastName || actual.Age != expected.Age
            || !actual.PhoneNumbers.SequenceEqual(expected.PhoneNumbers))
        {
            throw new InvalidOperationException($"{peer} did not bind the FastEndpoints body correctly.");
        }
    }
}

/// <summary>The same three binders on a CreateOrder body of the Orders sample.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class CreateOrderBinding
{
    private readonly byte[] _body = Inputs.CreateOrderBody;
    private readonly JsonLimits _limits = JsonLimits.Default;

    [GlobalSetup]
    public void Setup()
    {
        var expected = Inputs.CreateOrder(Input.Valid);
        foreach (var (peer, actual) in new[] { (nameof(Rampart), Rampart()), (nameof(SystemTextJsonSourceGen), SystemTextJsonSourceGen()), (nameof(HandWrittenReader), HandWrittenReader()) })
        {
            if (actual != expected)
            {
                throw new InvalidOperationException($"{peer} did not bind the CreateOrder body correctly.");
            }
        }
    }

    [Benchmark]
    public CreateOrder? Rampart()
    {
        CreateOrder.RampartEndpoint.TryReadJson(_body, _limits, out var value, out _);
        return value;
    }

    [Benchmark(Baseline = true)]
    public CreateOrder? SystemTextJsonSourceGen() => JsonSerializer.Deserialize(_body, BenchmarkJsonContext.Default.CreateOrder);

    [Benchmark]
    public CreateOrder? HandWrittenReader() => HandWrittenJson.ReadCreateOrder(_body);
}
