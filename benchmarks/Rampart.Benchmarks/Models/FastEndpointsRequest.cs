using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Validation;

namespace Rampart.Benchmarks.Models;

/// <summary>
/// The request of the FastEndpoints benchmark (FirstName and LastName not empty, Age over 10,
/// at least one phone number), declared once as a Rampart contract. The same type is validated by
/// every peer: its DataAnnotations attributes are what Rampart compiles, what
/// <c>Validator.TryValidateObject</c> evaluates by reflection and what the .NET 10 validation
/// generator (<c>[ValidatableType]</c>) reads; FluentValidation and the hand-written checks
/// restate the same rules in code. No route or query members, so Rampart emits <c>TryReadJson</c>.
/// </summary>
[SecureEndpoint("POST", "/benchmark/ok", AllowAnonymous = true)]
[ValidatableType]
public sealed partial record FastEndpointsRequest
{
    [Required, MinLength(1), MaxLength(64)]
    public required string FirstName { get; init; }

    [Required, MinLength(1), MaxLength(64)]
    public required string LastName { get; init; }

    [Range(11, int.MaxValue)]
    public required int Age { get; init; }

    [Required, MinLength(1), MaxLength(16)]
    public required IEnumerable<string> PhoneNumbers { get; init; }

    static FastEndpointsResponse Handle(FastEndpointsRequest request) =>
        new(request.FirstName + " " + request.LastName, request.Age, request.PhoneNumbers is string[] a && a.Length > 0 ? a[0] : null);
}

/// <summary>The response of the FastEndpoints benchmark endpoint.</summary>
public sealed record FastEndpointsResponse(string Name, int Age, string? PhoneNumber);
