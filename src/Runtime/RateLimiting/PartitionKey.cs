using System;
using System.Net;
using System.Net.Sockets;

namespace Rampart.RateLimiting;

/// <summary>
/// Who a rate limit counts against: the authenticated subject, else the client address (IPv6 grouped
/// by /64, since one host usually owns a whole /64), or a custom key. A value type, so building and
/// looking up a key allocates nothing.
/// </summary>
/// <remarks>
/// An address also belongs to wider networks (<see cref="NetworkCount"/>, <see cref="GetNetwork"/>): its /48 and
/// /32 for IPv6, its /24 for IPv4. Stores count a new address partition against its networks' budgets, so that
/// one network cannot fill a store by hopping across its addresses.
/// </remarks>
public readonly struct PartitionKey : IEquatable<PartitionKey>
{
    private const byte Subject = 1;
    private const byte Address = 2;
    private const byte Ipv6Slash32 = 4;
    private const byte Ipv6Slash48 = 5;
    private const byte Ipv4Slash24 = 6;
    private static readonly UInt128 Slash32Mask = new(0xFFFF_FFFF_0000_0000UL, 0);
    private static readonly UInt128 Slash48Mask = new(0xFFFF_FFFF_FFFF_0000UL, 0);
    private static readonly UInt128 Slash24Mask = ~(UInt128)0xFF;
    private static readonly UInt128 UnknownAddress = UInt128.MaxValue;

    private readonly string? _text;
    private readonly UInt128 _address;
    private readonly byte _kind; // 0 none, 1 subject, 2 address, 3 custom, 4-6 networks (IPv6 /32, IPv6 /48, IPv4 /24)

    private PartitionKey(byte kind, string? text, UInt128 address)
    {
        _kind = kind;
        _text = text;
        _address = address;
    }

    /// <summary>A key for an authenticated subject (<c>sub</c>).</summary>
    public static PartitionKey ForSubject(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return new PartitionKey(Subject, subject, default);
    }

    /// <summary>A key for a custom partition (API key, tenant …).</summary>
    public static PartitionKey ForCustom(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new PartitionKey(3, key, default);
    }

    /// <summary>A key for a client address: IPv4 as is, IPv6 by its /64 prefix, IPv4-mapped IPv6 as IPv4.</summary>
    public static PartitionKey ForAddress(IPAddress? address)
    {
        if (address is null)
        {
            return new PartitionKey(Address, null, UnknownAddress); // unknown peers share one partition
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[12..], out _);
            bytes[10] = 0xff; // keep IPv4 apart from IPv6 prefixes
            bytes[11] = 0xff;
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear(); // the /64 prefix
        }

        ulong high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        ulong low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return new PartitionKey(Address, null, new UInt128(high, low));
    }

    /// <summary>True for the default (empty) key.</summary>
    public bool IsEmpty => _kind == 0;

    /// <summary>True for the key of an authenticated subject (<see cref="ForSubject"/>).</summary>
    public bool IsSubject => _kind == Subject;

    /// <summary>
    /// The prefix length of an address or network key: 64 for an IPv6 address (its /64), 32 for an IPv4
    /// address, 48, 32 or 24 for a network; 0 for other keys.
    /// </summary>
    public int PrefixLength => _kind switch
    {
        Address when _address == UnknownAddress => 0,
        Address => IsIpv4 ? 32 : 64,
        Ipv6Slash32 => 32,
        Ipv6Slash48 => 48,
        Ipv4Slash24 => 24,
        _ => 0,
    };

    /// <summary>True for an IPv4 address or network key.</summary>
    public bool IsIpv4 => _kind is Address or Ipv4Slash24 && _address != UnknownAddress && (_address >> 32) == 0xFFFF;

    /// <summary>True for a network key (<see cref="GetNetwork"/>).</summary>
    public bool IsNetwork => _kind is Ipv6Slash32 or Ipv6Slash48 or Ipv4Slash24;

    /// <summary>The number of wider networks an address key belongs to: 2 for IPv6 (/32, /48), 1 for IPv4 (/24), else 0.</summary>
    public int NetworkCount => _kind != Address || _address == UnknownAddress ? 0 : IsIpv4 ? 1 : 2;

    /// <summary>The network <paramref name="index"/> of an address key, widest first: IPv6 /32 then /48; IPv4 /24.</summary>
    public PartitionKey GetNetwork(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, NetworkCount);
        if (IsIpv4)
        {
            return new PartitionKey(Ipv4Slash24, null, _address & Slash24Mask);
        }

        return index == 0 ? new PartitionKey(Ipv6Slash32, null, _address & Slash32Mask) : new PartitionKey(Ipv6Slash48, null, _address & Slash48Mask);
    }

    /// <inheritdoc />
    public bool Equals(PartitionKey other) => _kind == other._kind && _address == other._address && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PartitionKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text is null ? _address.GetHashCode() : _text.GetHashCode() ^ _kind;

    /// <summary>A stable text form, for distributed stores and logs (subjects are not hashed here).</summary>
    public override string ToString() => _kind switch
    {
        Subject => "sub:" + _text,
        3 => "key:" + _text,
        Address => "ip:" + _address.ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
        Ipv6Slash32 or Ipv6Slash48 or Ipv4Slash24 => "net:" + _address.ToString("x32", System.Globalization.CultureInfo.InvariantCulture) + "/" + PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "none",
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(PartitionKey left, PartitionKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PartitionKey left, PartitionKey right) => !left.Equals(right);
}
