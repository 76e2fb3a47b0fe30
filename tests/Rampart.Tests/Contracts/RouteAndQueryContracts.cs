using System;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rampart.Tests.Contracts;

/// <summary>The response of the route contracts.</summary>
public sealed record ItemView(string Kind, string Id, string? Name);

/// <summary>An int route value; 404 is answered by the handler through a union result.</summary>
[SecureEndpoint("GET", "/sink/int/{id}", AllowAnonymous = true)]
public sealed partial record GetByInt
{
    [Range(1, 1000)] public required int Id { get; init; }

    static Results<Ok<ItemView>, NotFound> Handle(GetByInt request) =>
        request.Id == 404 ? TypedResults.NotFound() : TypedResults.Ok(new ItemView("int", request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
}

/// <summary>A long route value; a null response is 404.</summary>
[SecureEndpoint("GET", "/sink/long/{id}", AllowAnonymous = true)]
public sealed partial record GetByLong
{
    public required long Id { get; init; }

    static ValueTask<ItemView?> HandleAsync(GetByLong request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ItemView?>(request.Id == 0 ? null : new ItemView("long", request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
}

/// <summary>A Guid route value.</summary>
[SecureEndpoint("GET", "/sink/guid/{id}", AllowAnonymous = true)]
public sealed partial record GetByGuid
{
    public required Guid Id { get; init; }

    static ItemView Handle(GetByGuid request) => new("guid", request.Id.ToString("D"), null);
}

/// <summary>A string route value with a maximum length and a pattern.</summary>
[SecureEndpoint("GET", "/sink/str/{id}", AllowAnonymous = true)]
public sealed partial record GetByString
{
    [StringLength(8), RegularExpression("^[a-z]+-[0-9]{2,4}$")] public required string Id { get; init; }

    static Task<ItemView> HandleAsync(GetByString request) => Task.FromResult(new ItemView("string", request.Id, null));
}

/// <summary>A route value together with a JSON body.</summary>
[SecureEndpoint("PUT", "/sink/items/{id}", AllowAnonymous = true)]
public sealed partial record UpdateItem
{
    [Range(1, 1000)] public required int Id { get; init; }

    [Required, StringLength(10)] public required string Name { get; init; }

    [Range(0, 100)] public int Stock { get; init; } = 0;

    static Results<Ok<ItemView>, NotFound, Conflict> Handle(UpdateItem request) => request.Id switch
    {
        404 => TypedResults.NotFound(),
        409 => TypedResults.Conflict(),
        _ => TypedResults.Ok(new ItemView("item", request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Name)),
    };
}

/// <summary>A DELETE with an empty (204) result.</summary>
[SecureEndpoint("DELETE", "/sink/items/{id}", AllowAnonymous = true)]
public sealed partial record DeleteItem
{
    public required int Id { get; init; }

    static NoContent Handle(DeleteItem request) => TypedResults.NoContent();
}

/// <summary>A handler without a result (204).</summary>
[SecureEndpoint("POST", "/sink/ping", AllowAnonymous = true)]
public sealed partial record Ping
{
    [MaxLength(4)] public string? Note { get; init; }

    static Task HandleAsync(Ping request) => Task.CompletedTask;
}

/// <summary>Every scalar kind from the query string.</summary>
[SecureEndpoint("GET", "/sink/search", AllowAnonymous = true)]
public sealed partial record Search
{
    [Required, StringLength(16), RegularExpression("^[A-Za-z0-9]+$")] public required string Q { get; init; }

    [Range(1, 50)] public int Limit { get; init; } = 10;

    public bool Exact { get; init; } = false;

    public long? After { get; init; }

    public decimal? MinPrice { get; init; }

    public double? Ratio { get; init; }

    public Guid? Ref { get; init; }

    public DateTimeOffset? Since { get; init; }

    public Color? Color { get; init; }

    static SearchEcho Handle(Search s) => new(s.Q, s.Limit, s.Exact, s.After, s.MinPrice, s.Ratio, s.Ref, s.Since, s.Color);
}

/// <summary>The echo of <see cref="Search"/>.</summary>
public sealed record SearchEcho(string Q, int Limit, bool Exact, long? After, decimal? MinPrice, double? Ratio, Guid? Ref, DateTimeOffset? Since, Color? Color);

/// <summary>A handler that throws: the host must answer with a bare 500 problem.</summary>
[SecureEndpoint("POST", "/sink/explode", AllowAnonymous = true)]
public sealed partial record Explode
{
    [MaxLength(16), Sensitive] public string? Secret { get; init; }

    static NoContent Handle(Explode request) => throw new InvalidOperationException("handler failed with " + request.Secret);
}

/// <summary>A response record whose getter throws after part of it has been written.</summary>
public sealed record Trap(string First)
{
    public string Boom => throw new InvalidOperationException("getter failed");
}

/// <summary>A handler whose response fails while it is being written.</summary>
[SecureEndpoint("POST", "/sink/trap", AllowAnonymous = true)]
public sealed partial record TrapResponse
{
    [Range(1, 100_000)] public int Size { get; init; } = 1;

    static Trap Handle(TrapResponse request) => new(new string('x', request.Size));
}

/// <summary>Two route values, a query value and a body together.</summary>
[SecureEndpoint("PUT", "/sink/pairs/{left}/{right}", AllowAnonymous = true)]
public sealed partial record UpdatePair
{
    [Range(1, 99)] public required long Left { get; init; }

    public required Guid Right { get; init; }

    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "tag"), StringLength(4, MinimumLength = 2)] public string? Tag { get; init; }

    [Required, MaxLength(6)] public required string Name { get; init; }

    static ItemView Handle(UpdatePair r) => new("pair", r.Left + "/" + r.Right.ToString("D") + "/" + (r.Tag ?? "-"), r.Name);
}
