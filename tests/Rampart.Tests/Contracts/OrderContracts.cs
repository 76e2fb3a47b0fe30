using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rampart.Tests.Contracts;

/// <summary>Nested records, arrays and lists of every element kind, validated at every level.</summary>
[SecureEndpoint("POST", "/sink/orders", AllowAnonymous = true)]
public sealed partial record PlaceOrder
{
    [Required, StringLength(20, MinimumLength = 2)] public required string Customer { get; init; }

    public required Address ShipTo { get; init; }

    public Address? BillTo { get; init; }

    [Length(1, 4)] public required OrderLine[] Items { get; init; }

    [MaxLength(3)] public List<string>? Tags { get; init; }

    [MaxLength(3)] public List<Color>? Colors { get; init; }

    [MaxLength(4)] public int[]? Numbers { get; init; }

    [MaxLength(3)] public int?[]? Holes { get; init; }

    [MaxLength(3)] public long[]? Longs { get; init; }

    [MaxLength(3)] public List<decimal>? Amounts { get; init; }

    [MaxLength(3)] public double[]? Weights { get; init; }

    [MaxLength(3)] public List<bool>? Switches { get; init; }

    [MaxLength(3)] public List<Guid>? Refs { get; init; }

    [MaxLength(3)] public DateTimeOffset[]? Dates { get; init; }

    [MaxLength(3)] public IReadOnlyList<Dimensions>? Boxes { get; init; }

    // Deliberately unbounded: the configured defaults apply (RAMP0016 is silenced in the project file).
    public List<int>? Extra { get; init; }

    public string? Memo { get; init; }

    static Created<OrderReceipt> Handle(PlaceOrder request)
    {
        int units = 0;
        foreach (var item in request.Items)
        {
            units += item.Quantity;
        }

        return TypedResults.Created("/sink/orders/42", new OrderReceipt(42, request.Customer, request.ShipTo.Zip, request.Items.Length, units, request.Tags, request.Colors, request.Boxes?.Count ?? 0));
    }
}

/// <summary>A nested record with its own validation.</summary>
public sealed record Address
{
    [Required, MaxLength(32)] public required string Street { get; init; }

    [RegularExpression("^[a-z]+-[0-9]{2,4}$"), MaxLength(12)] public required string Zip { get; init; }

    [MaxLength(2)] public string? Country { get; init; }
}

/// <summary>An array element with validation and a deeper nested record.</summary>
public sealed record OrderLine
{
    [RegularExpression("^[A-Z0-9]{8}$"), StringLength(8)] public required string Sku { get; init; }

    [Range(1, 10)] public required int Quantity { get; init; }

    [Range(0.0, 1000.0, MinimumIsExclusive = true)] public decimal UnitPrice { get; init; } = 1m;

    public LineOptions? Options { get; init; }
}

/// <summary>Third nesting level.</summary>
public sealed record LineOptions
{
    [MaxLength(2)] public string[]? Flags { get; init; }

    [Range(0, 5)] public int Priority { get; init; }
}

/// <summary>A positional record bound through its constructor.</summary>
public sealed record Dimensions([Range(1, 100)] int Width, [Range(1, 100)] int Height);

/// <summary>The response of <see cref="PlaceOrder"/>.</summary>
public sealed record OrderReceipt(int Id, string Customer, string Zip, int Lines, int Units, List<string>? Tags, List<Color>? Colors, int Boxes);

/// <summary>A recursive structure, for the depth limit.</summary>
[SecureEndpoint("POST", "/sink/tree", AllowAnonymous = true)]
public sealed partial record Tree
{
    public required Node Root { get; init; }

    static Ok<TreeInfo> Handle(Tree request)
    {
        int depth = 0;
        for (var n = request.Root; n is not null; n = n.Child)
        {
            depth++;
        }

        return TypedResults.Ok(new TreeInfo(depth));
    }
}

/// <summary>A node of <see cref="Tree"/>.</summary>
public sealed record Node
{
    public int Value { get; init; }

    public Node? Child { get; init; }
}

/// <summary>The response of <see cref="Tree"/>.</summary>
public sealed record TreeInfo(int Depth);
