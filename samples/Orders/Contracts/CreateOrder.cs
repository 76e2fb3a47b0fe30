using System;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Places an order, owned by the caller.</summary>
[SecureEndpoint("POST", "/api/v1/orders", Permission = "orders:write", RateLimit = "10/second")]
public sealed partial record CreateOrder
{
    /// <summary>The product code: eight upper-case letters or digits.</summary>
    [RegularExpression("^[A-Z0-9]{8}$"), StringLength(8)]
    public required string ProductId { get; init; }

    /// <summary>How many units, 1 to 1000.</summary>
    [Range(1, 1000)]
    public required int Quantity { get; init; }

    /// <summary>An optional note for the order, redacted from logs.</summary>
    [MaxLength(500), Sensitive]
    public string? Note { get; init; }

    // The owner is the authenticated caller (bound by Rampart from the token's subject), never a value from the request.
    static async ValueTask<Created<OrderView>> HandleAsync(
        CreateOrder request, OwnerId owner, OrderStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var order = new OrderView(Guid.NewGuid(), request.ProductId, request.Quantity, request.Note, time.GetUtcNow());
        await store.InsertAsync(order.Id, owner, order.ProductId, order.Quantity, order.Note, order.CreatedAt, cancellationToken);
        return TypedResults.Created($"/api/v1/orders/{order.Id}", order);
    }
}
