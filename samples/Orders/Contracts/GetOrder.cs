using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Reads one of the caller's orders; an unknown id, or another user's order, is 404.</summary>
[SecureEndpoint("GET", "/api/v1/orders/{id}", Permission = "orders:read")]
public sealed partial record GetOrder
{
    /// <summary>The order id.</summary>
    public required Guid Id { get; init; }

    static async ValueTask<Results<Ok<OrderView>, NotFound>> HandleAsync(GetOrder request, OwnerId owner, OrderStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(request.Id, owner, cancellationToken) is { } order
            ? TypedResults.Ok(order)
            : TypedResults.NotFound();
}
