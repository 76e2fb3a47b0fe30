using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rampart.Load;

/// <summary>The FastEndpoints benchmark scenario: POST /benchmark/ok/{id}, validated, 200 JSON or 400.</summary>
[SecureEndpoint("POST", "/benchmark/ok/{id}", AllowAnonymous = true, UseDefaultRateLimit = false)]
public sealed partial record BenchmarkRequest
{
    public required int Id { get; init; }

    [Required, MinLength(1), MaxLength(64)] public required string FirstName { get; init; }

    [Required, MinLength(1), MaxLength(64)] public required string LastName { get; init; }

    [Range(11, int.MaxValue)] public required int Age { get; init; }

    [Required, MinLength(1), MaxLength(16)] public required IEnumerable<string> PhoneNumbers { get; init; }

    static BenchmarkView Handle(BenchmarkRequest r) =>
        new(r.Id, r.FirstName + " " + r.LastName, r.Age, r.PhoneNumbers is string[] { Length: > 0 } a ? a[0] : null);
}

/// <summary>The FastEndpoints benchmark response.</summary>
public sealed record BenchmarkView(int Id, string Name, int Age, string? PhoneNumber);

/// <summary>The secured scenario: bearer token with orders:write, per-client rate limit, validation, redacted request log.</summary>
[SecureEndpoint("POST", "/api/v1/orders", Permission = LoadSettings.Permission)]
public sealed partial record CreateOrder
{
    [RegularExpression("^[A-Z0-9]{8}$"), StringLength(8)] public required string ProductId { get; init; }

    [Range(1, 1000)] public required int Quantity { get; init; }

    [MaxLength(500), Sensitive] public string? Note { get; init; }

    static Created<OrderView> Handle(CreateOrder request, Caller caller)
    {
        var order = new OrderView(Guid.NewGuid(), caller.Id!, request.ProductId, request.Quantity);
        return TypedResults.Created("/api/v1/orders/" + order.Id.ToString(), order);
    }
}

/// <summary>The order view (201).</summary>
public sealed record OrderView(Guid Id, string OwnerId, string ProductId, int Quantity);
