using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Orders.Stores;

/// <summary>An order as returned by the API.</summary>
public sealed record OrderView(Guid Id, string ProductId, int Quantity, string? Note, DateTimeOffset CreatedAt);

/// <summary>Search results.</summary>
public sealed record SearchResult(IReadOnlyList<OrderView> Items, int Total);

/// <summary>
/// In-memory order storage for the first version of the sample; the data-access work moves it to SQLite.
/// </summary>
public sealed class OrderStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, (string OwnerId, OrderView Order)> _orders = new();

    /// <summary>Stores a new order.</summary>
    public ValueTask<OrderView> AddAsync(string ownerId, string productId, int quantity, string? note, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var order = new OrderView(Guid.NewGuid(), productId, quantity, note, time.GetUtcNow());
        _orders[order.Id] = (ownerId, order);
        return ValueTask.FromResult(order);
    }

    /// <summary>Finds an order by id.</summary>
    public ValueTask<OrderView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_orders.TryGetValue(id, out var entry) ? entry.Order : null);
    }

    /// <summary>Orders whose product code starts with <paramref name="text"/>, newest first.</summary>
    public ValueTask<SearchResult> SearchAsync(string text, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var matches = _orders.Values
            .Select(e => e.Order)
            .Where(o => o.ProductId.StartsWith(text, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(o => o.CreatedAt)
            .ToList();
        return ValueTask.FromResult(new SearchResult(matches.Take(limit).ToList(), matches.Count));
    }
}
