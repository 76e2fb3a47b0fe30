using System;

namespace Rampart.RateLimiting;

/// <summary>Options of <see cref="InMemoryRateLimitStore"/>.</summary>
public sealed class RateLimitStoreOptions
{
    /// <summary>The most keys tracked, of every kind together (default 100,000; at least 4).</summary>
    public int MaxKeys { get; set; } = 100_000;

    /// <summary>
    /// The part of <see cref="MaxKeys"/> kept for authenticated subjects (default: half). Anonymous clients, their
    /// networks and custom partitions share the rest, so a flood of them cannot take the subjects' room; subjects
    /// beyond their part share one overflow bucket per policy.
    /// </summary>
    public int? ReservedAuthenticatedKeys { get; set; }

    /// <summary>The budgets of the networks new address partitions are counted against.</summary>
    public NetworkBudgetOptions Networks { get; } = new();

    internal int Reserved => ReservedAuthenticatedKeys ?? MaxKeys / 2;

    internal void Validate()
    {
        if (MaxKeys < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxKeys), MaxKeys, "MaxKeys must be at least 4.");
        }

        if (Reserved < 1 || Reserved > MaxKeys - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ReservedAuthenticatedKeys), Reserved, "ReservedAuthenticatedKeys must be between 1 and MaxKeys - 2.");
        }

        Networks.Validate();
    }
}

/// <summary>
/// How many times a client's quota a network may spend on new partitions: the first request of an address
/// that has no partition yet is also counted against its networks (IPv6 /32 and /48, IPv4 /24) under the same
/// policy with these multiples of its limits. When a network's budget is spent, its addresses that have no
/// partition are refused (429) until it refills, while addresses that have one keep their own quota. So one
/// network cannot take a store's table by hopping across its addresses. 0 turns a level off.
/// </summary>
public sealed class NetworkBudgetOptions
{
    /// <summary>The largest multiple accepted.</summary>
    public const int MaxFactor = 1000;

    /// <summary>An IPv6 /48 (a site): 16 times a client's quota by default.</summary>
    public int Ipv6Slash48 { get; set; } = 16;

    /// <summary>An IPv6 /32 (an operator): 256 times a client's quota by default.</summary>
    public int Ipv6Slash32 { get; set; } = 256;

    /// <summary>An IPv4 /24: 16 times a client's quota by default.</summary>
    public int Ipv4Slash24 { get; set; } = 16;

    /// <summary>The multiple for <paramref name="network"/> (a key from <see cref="PartitionKey.GetNetwork"/>), 0 when its level is off.</summary>
    public int FactorFor(PartitionKey network) => network.PrefixLength switch
    {
        24 when network.IsIpv4 => Ipv4Slash24,
        32 when network.IsNetwork && !network.IsIpv4 => Ipv6Slash32,
        48 => Ipv6Slash48,
        _ => 0,
    };

    internal void Validate()
    {
        foreach (int factor in (ReadOnlySpan<int>)[Ipv6Slash48, Ipv6Slash32, Ipv4Slash24])
        {
            if (factor is < 0 or > MaxFactor)
            {
                throw new ArgumentOutOfRangeException(nameof(NetworkBudgetOptions), factor, $"A network budget must be between 0 (off) and {MaxFactor} times a client's quota.");
            }
        }
    }
}
