using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using BenchmarkDotNet.Attributes;
using Orders.Contracts;
using Rampart.Benchmarks.Models;
using Rampart.Benchmarks.Peers;
using Rampart.Validation;

namespace Rampart.Benchmarks.Suites;

// Every method returns the number of errors found (0 for a valid instance), so nothing can be
// optimised away and the global setup can check that all peers agree before anything is timed.
//
// Rampart runs exactly what the generated endpoint runs: Validate(v, null), and only when that
// fails a second pass Validate(v, new ValidationErrors()) that collects every error.

/// <summary>The FastEndpoints benchmark request, validated by every peer.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class FastEndpointsRequestValidation
{
    private readonly FastEndpointsRequestValidator _fluent = new();
    private BuiltInValidator _builtIn = null!;
    private FastEndpointsRequest _value = null!;

    [Params(Input.Valid, Input.Invalid)]
    public Input Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _builtIn = new BuiltInValidator(typeof(FastEndpointsRequest));
        _value = Inputs.FastEndpoints(Input);
        Agreement.Check(Input, nameof(FastEndpointsRequest), Rampart(), HandWritten(), FluentValidation(), DataAnnotations(), DotNet10Validation());
    }

    [Benchmark(Baseline = true)]
    public int Rampart()
    {
        if (FastEndpointsRequest.RampartEndpoint.Validate(_value, null))
        {
            return 0;
        }

        var errors = new ValidationErrors();
        FastEndpointsRequest.RampartEndpoint.Validate(_value, errors);
        return errors.Count;
    }

    [Benchmark]
    public int HandWritten() => Peers.HandWritten.IsValid(_value) ? 0 : Peers.HandWritten.Errors(_value).Count;

    [Benchmark]
    public int FluentValidation() => _fluent.Validate(_value).Errors.Count;

    [Benchmark]
    public int DataAnnotations()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(_value, new ValidationContext(_value), results, validateAllProperties: true);
        return results.Count;
    }

    [Benchmark]
    public int DotNet10Validation() => _builtIn.Validate(_value).ValidationErrors?.Count ?? 0;
}

/// <summary>The Orders sample's CreateOrder contract, validated by every peer.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: RunSettings.Launches, warmupCount: RunSettings.WarmupIterations, iterationCount: RunSettings.Iterations)]
public class CreateOrderValidation
{
    private readonly CreateOrderValidator _fluent = new();
    private BuiltInValidator _builtIn = null!;
    private CreateOrder _value = null!;

    [Params(Input.Valid, Input.Invalid)]
    public Input Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _builtIn = new BuiltInValidator(typeof(CreateOrder));
        _value = Inputs.CreateOrder(Input);
        Agreement.Check(Input, nameof(CreateOrder), Rampart(), HandWritten(), FluentValidation(), DataAnnotations(), DotNet10Validation());
    }

    [Benchmark(Baseline = true)]
    public int Rampart()
    {
        if (CreateOrder.RampartEndpoint.Validate(_value, null))
        {
            return 0;
        }

        var errors = new ValidationErrors();
        CreateOrder.RampartEndpoint.Validate(_value, errors);
        return errors.Count;
    }

    [Benchmark]
    public int HandWritten() => Peers.HandWritten.IsValid(_value) ? 0 : Peers.HandWritten.Errors(_value).Count;

    [Benchmark]
    public int FluentValidation() => _fluent.Validate(_value).Errors.Count;

    [Benchmark]
    public int DataAnnotations()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(_value, new ValidationContext(_value), results, validateAllProperties: true);
        return results.Count;
    }

    [Benchmark]
    public int DotNet10Validation() => _builtIn.Validate(_value).ValidationErrors?.Count ?? 0;
}

/// <summary>Fails the run when the peers disagree about an instance: only equivalent work is compared.</summary>
internal static class Agreement
{
    public static void Check(Input input, string model, int rampart, int handWritten, int fluent, int dataAnnotations, int dotNet10)
    {
        var counts = new[] { rampart, handWritten, fluent, dataAnnotations, dotNet10 };
        foreach (int count in counts)
        {
            if ((input == Input.Valid) != (count == 0))
            {
                throw new InvalidOperationException(
                    $"Peers disagree on the {input} {model}: error counts Rampart={rampart}, hand-written={handWritten}, FluentValidation={fluent}, DataAnnotations={dataAnnotations}, .NET 10={dotNet10}.");
            }
        }

        Console.WriteLine($"// {model} {input}: error counts Rampart={rampart} (paths), hand-written={handWritten}, FluentValidation={fluent}, DataAnnotations={dataAnnotations}, .NET 10={dotNet10} (paths)");
    }
}
