using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Deletes one of the caller's orders: 204, or 404 when it does not exist or belongs to someone else.</summary>
[SecureEndpoint("DELETE", "/api/v1/orders/{id}", Permission = "orders:write")]
public sealed partial record DeleteOrder
{
    /// <summary>The order id.</summary>
    public required Guid Id { get; init; }

    static async ValueTask<Results<NoContent, NotFound>> HandleAsync(DeleteOrder request, OwnerId owner, OrderStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(request.Id, owner, cancellationToken) == 1
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
