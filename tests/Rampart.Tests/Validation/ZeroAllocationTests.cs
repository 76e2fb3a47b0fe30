using System;
using System.Collections.Generic;
using Rampart.Tests.Contracts;
using Xunit;

namespace Rampart.Tests.Validation;

/// <summary>
/// The generated first validation pass (errors == null) must allocate nothing for a valid request.
/// Measured with GC.GetAllocatedBytesForCurrentThread around a loop, after warm-up.
/// </summary>
public sealed class ZeroAllocationTests
{
    private const int Iterations = 20_000;

    /// <summary>Bytes allocated by <paramref name="validate"/> over the loop; the best of three runs, so one-off runtime work is not counted.</summary>
    private static long AllocatedBytes<T>(Func<T, bool> validate, T value)
    {
        for (int i = 0; i < Iterations; i++)
        {
            if (!validate(value))
            {
                throw new InvalidOperationException("The instance under test is not valid.");
            }
        }

        long best = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int failures = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
            {
                if (!validate(value))
                {
                    failures++;
                }
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(0, failures);
            best = Math.Min(best, after - before);
        }

        return best;
    }

    private static void AssertZero(long bytes) =>
        Assert.True(bytes == 0, $"{bytes} bytes allocated over {Iterations} calls ({bytes / (double)Iterations:0.#} per call)");

    private static ScalarsRequest Scalars() => new()
    {
        Text = "hello", Flag = true, Int = 1, Long = 2, Decimal = 3.5m, Double = 4.25, Guid = Guid.NewGuid(), When = DateTimeOffset.UnixEpoch, Color = Color.Green,
        OptText = "x", OptInt = 3, OptColor = Color.Red,
    };

    internal static PlaceOrder Order() => new()
    {
        Customer = "Ada Lovelace",
        ShipTo = new Address { Street = "1 Analytical Way", Zip = "london-123", Country = "GB" },
        BillTo = new Address { Street = "2 Difference Rd", Zip = "ab-12" },
        Items = new[]
        {
            new OrderLine { Sku = "ABCD1234", Quantity = 1 },
            new OrderLine { Sku = "EFGH5678", Quantity = 10, UnitPrice = 999.99m, Options = new LineOptions { Flags = new[] { "a", "b" }, Priority = 5 } },
            new OrderLine { Sku = "IJKL9012", Quantity = 3 },
        },
        Tags = new List<string> { "a" },
        Colors = new List<Color> { Color.Red },
        Numbers = new[] { 1, 2 },
        Holes = new int?[] { 1, null },
        Boxes = new[] { new Dimensions(1, 100), new Dimensions(50, 50) },
    };

    internal static RulesRequest AllRules(string? pairs) => new()
    {
        Level = 10, Offset = -1000, Stars = 5, Fraction = 0.999, Price = 99.99m, Nick = "Ada_1", Code = "ab", Initials = "ABCD",
        Pair = new[] { "a", "b" }, Scores = new List<int> { 1, 2, 3 }, Sku = "ABCD1234", Slug = "abc-1234", Pairs = pairs,
        Email = "a@b", Homepage = "https://x", Tone = "green", User = "bob", Tier = 3, Shade = Color.Green, Title = "x", Min = 1, Max = 2,
    };

    [Fact]
    public void Scalar_contract()
    {
        AssertZero(AllocatedBytes(static v => ScalarsRequest.RampartEndpoint.Validate(v, null), Scalars()));
    }

    [Fact]
    public void Contract_with_nested_records_arrays_and_lists()
    {
        AssertZero(AllocatedBytes(static v => PlaceOrder.RampartEndpoint.Validate(v, null), Order()));
    }

    [Fact]
    public void Every_attribute_except_complex_patterns()
    {
        AssertZero(AllocatedBytes(static v => RulesRequest.RampartEndpoint.Validate(v, null), AllRules(pairs: null)));
    }

    [Fact]
    public void Complex_pattern_on_the_cached_regex()
    {
        // "^(ab|cd)+$" is not a simple pattern: it runs on the cached NonBacktracking regex. A valid value must not allocate either.
        AssertZero(AllocatedBytes(static v => RulesRequest.RampartEndpoint.Validate(v, null), AllRules(pairs: "abcdab")));
    }

    [Fact]
    public void Route_and_query_contracts()
    {
        AssertZero(AllocatedBytes(static v => GetByString.RampartEndpoint.Validate(v, null), new GetByString { Id = "abc-123" }));
        AssertZero(AllocatedBytes(static v => Search.RampartEndpoint.Validate(v, null), new Search { Q = "abc", Limit = 5, Color = Color.Blue }));
        AssertZero(AllocatedBytes(static v => UpdateItem.RampartEndpoint.Validate(v, null), new UpdateItem { Id = 5, Name = "w", Stock = 3 }));
    }

    [Fact]
    public void Recursive_contract()
    {
        var tree = new Tree { Root = new Node { Value = 1, Child = new Node { Value = 2, Child = new Node { Value = 3 } } } };

        AssertZero(AllocatedBytes(static v => Tree.RampartEndpoint.Validate(v, null), tree));
    }

    [Fact]
    public void Failing_first_pass_returns_false_without_allocating_and_the_second_pass_collects()
    {
        var invalid = Order() with { Customer = "x" };
        for (int i = 0; i < 1000; i++)
        {
            _ = PlaceOrder.RampartEndpoint.Validate(invalid, null);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool result = PlaceOrder.RampartEndpoint.Validate(invalid, null);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var errors = new Rampart.Validation.ValidationErrors();
        bool collected = PlaceOrder.RampartEndpoint.Validate(invalid, errors);

        Assert.False(result);
        Assert.Equal(0, allocated);
        Assert.False(collected);
        Assert.Equal(new[] { "customer" }, System.Linq.Enumerable.Select(errors.Entries, e => e.Key));
    }
}
