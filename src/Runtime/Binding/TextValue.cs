using System;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Rampart.Binding;

/// <summary>
/// Parsers for route and query values, invariant-culture and strict: surrounding whitespace,
/// thousands separators and hexadecimal are rejected.
/// </summary>
public static class TextValue
{
    /// <summary>Parses a 32-bit integer.</summary>
    public static bool Int32(string? text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a 64-bit integer.</summary>
    public static bool Int64(string? text, out long value) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a decimal number.</summary>
    public static bool Decimal(string? text, out decimal value) => decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a finite double.</summary>
    public static bool Double(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Parses <c>true</c> or <c>false</c> (case-insensitive).</summary>
    public static bool Boolean(string? text, out bool value) => bool.TryParse(text, out value) && text!.Trim().Length == text.Length;

    /// <summary>Parses a GUID in the <c>D</c> format.</summary>
    public static bool Guid(string? text, out Guid value) => System.Guid.TryParseExact(text, "D", out value);

    /// <summary>Parses an ISO 8601 date and time.</summary>
    public static bool DateTimeOffset(string? text, out DateTimeOffset value) =>
        System.DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);

    /// <summary>
    /// The single value of query key <paramref name="name"/>: false with an error when it is given twice.
    /// </summary>
    public static bool SingleQueryValue(IQueryCollection query, string name, out string? value, out BindingError error)
    {
        StringValues values = query[name];
        if (values.Count > 1)
        {
            value = null;
            error = new BindingError(400, name, BindingMessages.DuplicateQuery);
            return false;
        }

        value = values.Count == 0 ? null : values[0];
        error = default;
        return true;
    }

    /// <summary>Fails on the first query key that is not in <paramref name="known"/> (ordinal, case-sensitive).</summary>
    public static bool OnlyKnownQueryKeys(IQueryCollection query, ReadOnlySpan<string> known, out BindingError error)
    {
        if (query.Count != 0)
        {
            foreach (string key in query.Keys)
            {
                if (known.IndexOf(key) < 0)
                {
                    error = new BindingError(400, key.Length <= 64 && IsIdentifier(key) ? key : "$unknown", BindingMessages.UnknownQuery);
                    return false;
                }
            }
        }

        error = default;
        return true;
    }

    private static bool IsIdentifier(string key)
    {
        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return key.Length > 0;
    }
}
