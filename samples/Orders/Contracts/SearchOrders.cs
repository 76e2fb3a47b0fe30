using System;
using System.ComponentModel.DataAnnotations;
using System.Threading;
using System.Threading.Tasks;
using Orders.Stores;
using Rampart;

namespace Orders.Contracts;

/// <summary>Searches the caller's orders by product code prefix.</summary>
[SecureEndpoint("GET", "/api/v1/search", Permission = "orders:read", RateLimit = "10/second")]
public sealed partial record SearchOrders
{
    /// <summary>The text to search for: letters and digits, up to 64 characters.</summary>
    [Required, StringLength(64), RegularExpression("^[A-Za-z0-9]+$")]
    public required string Q { get; init; }

    /// <summary>How many results, 1 to 100 (default 20).</summary>
    [Range(1, 100)]
    public int Limit { get; init; } = 20;

    static async ValueTask<SearchResult> HandleAsync(SearchOrders request, OwnerId owner, OrderStore store, CancellationToken cancellationToken)
    {
        // Q is letters and digits only (validated), so it holds no LIKE wildcard; codes are upper case.
        string prefix = request.Q.ToUpperInvariant() + "%";
        var items = await store.SearchAsync(owner, prefix, request.Limit, cancellationToken);
        long total = await store.CountAsync(owner, prefix, cancellationToken);
        return new SearchResult(items, (int)total);
    }
}
