using System;
using System.Threading;
using System.Threading.Tasks;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Reads one order by id; an unknown id is 404.</summary>
[SecureEndpoint("GET", "/api/v1/orders/{id}", Permission = "orders:read")]
public sealed partial record GetOrder
{
    /// <summary>The order id.</summary>
    public required Guid Id { get; init; }

    static ValueTask<OrderView?> HandleAsync(GetOrder request, OrderStore store, CancellationToken cancellationToken) =>
        store.FindAsync(request.Id, cancellationToken);
}
