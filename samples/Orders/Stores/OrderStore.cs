using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rampart;

namespace Orders.Stores;

/// <summary>An order as returned by the API.</summary>
public sealed record OrderView(Guid Id, string ProductId, int Quantity, string? Note, DateTimeOffset CreatedAt);

/// <summary>Search results.</summary>
public sealed record SearchResult(IReadOnlyList<OrderView> Items, int Total);

/// <summary>
/// The orders table (SQLite by default, PostgreSQL by configuration). Owner-scoped: every statement must
/// compare <c>owner_id</c> to the caller's <see cref="OwnerId"/>, which the compiler checks, so one user's
/// order is invisible to another — for them it does not exist (404, not 403).
/// </summary>
[OwnerScoped]
public sealed partial class OrderStore
{
    /// <summary>Stores a new order of <paramref name="owner"/>.</summary>
    [Sql("""
        INSERT INTO orders (id, owner_id, product_id, quantity, note, created_at)
        VALUES (@id, @owner, @productId, @quantity, @note, @createdAt)
        """)]
    public partial Task<int> InsertAsync(Guid id, OwnerId owner, string productId, int quantity, string? note, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>The order <paramref name="id"/> if <paramref name="owner"/> owns it.</summary>
    [Sql("SELECT id, product_id, quantity, note, created_at FROM orders WHERE id = @id AND owner_id = @owner")]
    public partial Task<OrderView?> FindAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    /// <summary>Changes the quantity and note of an order <paramref name="owner"/> owns; null if there is none.</summary>
    [Sql("""
        UPDATE orders SET quantity = @quantity, note = @note
        WHERE id = @id AND owner_id = @owner
        RETURNING id, product_id, quantity, note, created_at
        """)]
    public partial Task<OrderView?> UpdateAsync(Guid id, OwnerId owner, int quantity, string? note, CancellationToken cancellationToken);

    /// <summary>Deletes an order <paramref name="owner"/> owns; returns the rows deleted (0 or 1).</summary>
    [Sql("DELETE FROM orders WHERE id = @id AND owner_id = @owner")]
    public partial Task<int> DeleteAsync(Guid id, OwnerId owner, CancellationToken cancellationToken);

    /// <summary>The owner's orders whose product code starts with a prefix (<c>ABC%</c>), newest first.</summary>
    [Sql("""
        SELECT id, product_id, quantity, note, created_at FROM orders
        WHERE owner_id = @owner AND product_id LIKE @prefix
        ORDER BY created_at DESC, id
        LIMIT @limit
        """)]
    public partial Task<IReadOnlyList<OrderView>> SearchAsync(OwnerId owner, string prefix, int limit, CancellationToken cancellationToken);

    /// <summary>How many of the owner's orders match the prefix.</summary>
    [Sql("SELECT COUNT(*) FROM orders WHERE owner_id = @owner AND product_id LIKE @prefix")]
    public partial Task<long> CountAsync(OwnerId owner, string prefix, CancellationToken cancellationToken);
}
