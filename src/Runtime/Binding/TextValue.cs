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

    /// <summary>
    /// Parses an ISO 8601 date and time exactly as the JSON binder does (System.Text.Json's
    /// extended ISO 8601 profile), so route, query and body values agree.
    /// </summary>
    public static bool DateTimeOffset(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length is 0 or > 64)
        {
            return false;
        }

        // Quote the ASCII text and let Utf8JsonReader parse it: no allocation, one parser.
        Span<byte> json = stackalloc byte[66];
        json[0] = (byte)'"';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }

            json[i + 1] = (byte)c;
        }

        json[text.Length + 1] = (byte)'"';
        var reader = new System.Text.Json.Utf8JsonReader(json[..(text.Length + 2)]);
        return reader.Read() && reader.TryGetDateTimeOffset(out value);
    }

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

    /// <summary>
    /// <see cref="SingleQueryValue(IQueryCollection, string, out string?, out BindingError)"/> of the request's query;
    /// a request without a query string never touches <see cref="HttpRequest.Query"/> (which creates and registers
    /// a query feature).
    /// </summary>
    public static bool SingleQueryValue(HttpRequest request, string name, out string? value, out BindingError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.QueryString.HasValue)
        {
            value = null;
            error = default;
            return true;
        }

        return SingleQueryValue(request.Query, name, out value, out error);
    }

    /// <summary>
    /// <see cref="OnlyKnownQueryKeys(IQueryCollection, ReadOnlySpan{string}, out BindingError)"/> of the request's query;
    /// a request without a query string has no keys, and never touches <see cref="HttpRequest.Query"/>.
    /// </summary>
    public static bool OnlyKnownQueryKeys(HttpRequest request, ReadOnlySpan<string> known, out BindingError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.QueryString.HasValue)
        {
            error = default;
            return true;
        }

        return OnlyKnownQueryKeys(request.Query, known, out error);
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
