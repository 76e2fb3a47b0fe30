using System;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Changes the quantity and note of one of the caller's orders; another user's order is 404.</summary>
[SecureEndpoint("PUT", "/api/v1/orders/{id}", Permission = "orders:write", RateLimit = "10/second")]
public sealed partial record UpdateOrder
{
    /// <summary>The order id.</summary>
    public required Guid Id { get; init; }

    /// <summary>How many units, 1 to 1000.</summary>
    [Range(1, 1000)]
    public required int Quantity { get; init; }

    /// <summary>An optional note for the order, redacted from logs.</summary>
    [MaxLength(500), Sensitive]
    public string? Note { get; init; }

    static async ValueTask<Results<Ok<OrderView>, NotFound>> HandleAsync(UpdateOrder request, OwnerId owner, OrderStore store, CancellationToken cancellationToken) =>
        await store.UpdateAsync(request.Id, owner, request.Quantity, request.Note, cancellationToken) is { } order
            ? TypedResults.Ok(order)
            : TypedResults.NotFound();
}
