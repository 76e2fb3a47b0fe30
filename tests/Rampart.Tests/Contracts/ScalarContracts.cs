using System;
using System.ComponentModel.DataAnnotations;

namespace Rampart.Tests.Contracts;

/// <summary>An enum bound and written by name.</summary>
public enum Color
{
    Red,
    Green,
    Blue,
}

/// <summary>Every scalar member type, required and nullable. The handler echoes the bound values.</summary>
[SecureEndpoint("POST", "/sink/scalars", AllowAnonymous = true)]
public sealed partial record ScalarsRequest
{
    [MaxLength(8)] public required string Text { get; init; }

    public required bool Flag { get; init; }

    public required int Int { get; init; }

    public required long Long { get; init; }

    public required decimal Decimal { get; init; }

    public required double Double { get; init; }

    public required Guid Guid { get; init; }

    public required DateTimeOffset When { get; init; }

    public required Color Color { get; init; }

    [MaxLength(8)] public string? OptText { get; init; }

    public bool? OptFlag { get; init; }

    public int? OptInt { get; init; }

    public long? OptLong { get; init; }

    public decimal? OptDecimal { get; init; }

    public double? OptDouble { get; init; }

    public Guid? OptGuid { get; init; }

    public DateTimeOffset? OptWhen { get; init; }

    public Color? OptColor { get; init; }

    static ScalarsEcho Handle(ScalarsRequest r) => new(
        r.Text, r.Flag, r.Int, r.Long, r.Decimal, r.Double, r.Guid, r.When, r.Color,
        r.OptText, r.OptFlag, r.OptInt, r.OptLong, r.OptDecimal, r.OptDouble, r.OptGuid, r.OptWhen, r.OptColor);
}

/// <summary>The echo of <see cref="ScalarsRequest"/>.</summary>
public sealed record ScalarsEcho(
    string Text, bool Flag, int Int, long Long, decimal Decimal, double Double, Guid Guid, DateTimeOffset When, Color Color,
    string? OptText, bool? OptFlag, int? OptInt, long? OptLong, decimal? OptDecimal, double? OptDouble, Guid? OptGuid, DateTimeOffset? OptWhen, Color? OptColor);
