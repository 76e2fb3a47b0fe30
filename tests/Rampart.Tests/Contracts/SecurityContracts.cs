using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rampart;

namespace Rampart.Tests.Contracts;

/// <summary>An endpoint that needs a permission (401 without a caller, 403 without the permission).</summary>
[SecureEndpoint("GET", "/sink/secure", Permission = "sink:read")]
public sealed partial record SecureRead
{
    static NoContent Handle(Caller caller) => TypedResults.NoContent();
}

/// <summary>An endpoint limited to one request per minute, defaults off.</summary>
[SecureEndpoint("GET", "/sink/limited", AllowAnonymous = true, RateLimit = "1/minute", UseDefaultRateLimit = false)]
public sealed partial record LimitedRead
{
    static NoContent Handle() => TypedResults.NoContent();
}

/// <summary>A card inside a payment: classified members nested in records and lists.</summary>
public sealed record Card
{
    [System.ComponentModel.DataAnnotations.MaxLength(19), Sensitive] public required string Number { get; init; }

    [System.ComponentModel.DataAnnotations.MaxLength(40)] public required string Holder { get; init; }
}

/// <summary>A payment with secrets at several depths, for the request-log redaction tests.</summary>
[SecureEndpoint("POST", "/sink/payments", AllowAnonymous = true)]
public sealed partial record Payment
{
    [System.ComponentModel.DataAnnotations.MaxLength(20)] public required string Reference { get; init; }

    public required Card Card { get; init; }

    [System.ComponentModel.DataAnnotations.MaxLength(3)] public required System.Collections.Generic.List<Card> Backups { get; init; }

    [System.ComponentModel.DataAnnotations.MaxLength(8), Sensitive] public string? Pin { get; init; }

    static NoContent Handle(Payment request) => TypedResults.NoContent();
}
