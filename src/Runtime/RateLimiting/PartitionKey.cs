using System;
using System.Net;
using System.Net.Sockets;

namespace Rampart.RateLimiting;

/// <summary>
/// Who a rate limit counts against: the authenticated subject, else the client address (IPv6 grouped
/// by /64, since one host usually owns a whole /64), or a custom key. A value type, so building and
/// looking up a key allocates nothing.
/// </summary>
public readonly struct PartitionKey : IEquatable<PartitionKey>
{
    private readonly string? _text;
    private readonly UInt128 _address;
    private readonly byte _kind; // 0 none, 1 subject, 2 address, 3 custom

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
        return new PartitionKey(1, subject, default);
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
            return new PartitionKey(2, null, UInt128.MaxValue); // unknown peers share one partition
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
        return new PartitionKey(2, null, new UInt128(high, low));
    }

    /// <summary>True for the default (empty) key.</summary>
    public bool IsEmpty => _kind == 0;

    /// <inheritdoc />
    public bool Equals(PartitionKey other) => _kind == other._kind && _address == other._address && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PartitionKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text is null ? _address.GetHashCode() : _text.GetHashCode() ^ _kind;

    /// <summary>A stable text form, for distributed stores and logs (subjects are not hashed here).</summary>
    public override string ToString() => _kind switch
    {
        1 => "sub:" + _text,
        3 => "key:" + _text,
        2 => "ip:" + _address.ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
        _ => "none",
    };

    /// <summary>Equality.</summary>
    public static bool operator ==(PartitionKey left, PartitionKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PartitionKey left, PartitionKey right) => !left.Equals(right);
}
