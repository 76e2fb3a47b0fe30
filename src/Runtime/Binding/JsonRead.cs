using System;
using System.Buffers;
using System.Text.Json;

namespace Rampart.Binding;

/// <summary>
/// Scalar readers used by generated binders. Each checks the JSON token type strictly (no
/// number-in-a-string, no string-in-a-number) and reports a <see cref="BindingError"/> instead of throwing.
/// </summary>
public static class JsonRead
{
    // UTF-8 needs at least one byte per UTF-16 code unit and the longest escape (\uXXXX) takes six,
    // so a raw token longer than 6 * max characters cannot fit and is rejected before decoding.
    private const int MaxBytesPerChar = 6;

    /// <summary>Reads a non-null string of at most <paramref name="maxLength"/> UTF-16 characters.</summary>
    public static bool String(ref Utf8JsonReader reader, int maxLength, out string value, out BindingError error)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = string.Empty;
            error = BindingError.Invalid(reader.TokenType == JsonTokenType.Null ? BindingMessages.NotNull : BindingMessages.ExpectedString);
            return false;
        }

        long byteLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (byteLength <= maxLength)
        {
            // Every character takes at least one byte, so this cannot exceed the maximum.
            value = reader.GetString()!;
            error = default;
            return true;
        }

        if (byteLength > (long)maxLength * MaxBytesPerChar)
        {
            value = string.Empty;
            error = BindingError.Invalid(BindingMessages.StringTooLong);
            return false;
        }

        // Decode into a pooled buffer first and allocate the string only when it fits.
        char[] buffer = ArrayPool<char>.Shared.Rent((int)byteLength);
        try
        {
            int length = reader.CopyString(buffer);
            if (length > maxLength)
            {
                value = string.Empty;
                error = BindingError.Invalid(BindingMessages.StringTooLong);
                return false;
            }

            value = new string(buffer, 0, length);
            error = default;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public static bool Boolean(ref Utf8JsonReader reader, out bool value, out BindingError error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                error = default;
                return true;
            case JsonTokenType.False:
                value = false;
                error = default;
                return true;
            default:
                value = false;
                error = Mismatch(ref reader, BindingMessages.ExpectedBoolean);
                return false;
        }
    }

    /// <summary>Reads a JSON number that fits in <see cref="int"/> without a fraction or exponent.</summary>
    public static bool Int32(ref Utf8JsonReader reader, out int value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value))
        {
            error = default;
            return true;
        }

        value = 0;
        error = Mismatch(ref reader, BindingMessages.ExpectedInt32);
        return false;
    }

    /// <summary>Reads a JSON number that fits in <see cref="long"/>.</summary>
    public static bool Int64(ref Utf8JsonReader reader, out long value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value))
        {
            error = default;
            return true;
        }

        value = 0;
        error = Mismatch(ref reader, BindingMessages.ExpectedInt64);
        return false;
    }

    /// <summary>Reads a JSON number that fits in <see cref="decimal"/>.</summary>
    public static bool Decimal(ref Utf8JsonReader reader, out decimal value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out value))
        {
            error = default;
            return true;
        }

        value = 0;
        error = Mismatch(ref reader, BindingMessages.ExpectedDecimal);
        return false;
    }

    /// <summary>Reads a finite JSON number as <see cref="double"/>.</summary>
    public static bool Double(ref Utf8JsonReader reader, out double value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value))
        {
            error = default;
            return true;
        }

        value = 0;
        error = Mismatch(ref reader, BindingMessages.ExpectedDouble);
        return false;
    }

    /// <summary>Reads a GUID string in the <c>D</c> format.</summary>
    public static bool Guid(ref Utf8JsonReader reader, out Guid value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out value))
        {
            error = default;
            return true;
        }

        value = default;
        error = Mismatch(ref reader, BindingMessages.ExpectedGuid);
        return false;
    }

    /// <summary>Reads an ISO 8601 date and time string.</summary>
    public static bool DateTimeOffset(ref Utf8JsonReader reader, out DateTimeOffset value, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out value))
        {
            error = default;
            return true;
        }

        value = default;
        error = Mismatch(ref reader, BindingMessages.ExpectedDateTimeOffset);
        return false;
    }

    /// <summary>The error for a token of the wrong type: null gets its own message.</summary>
    public static BindingError Mismatch(ref Utf8JsonReader reader, string expected) =>
        BindingError.Invalid(reader.TokenType == JsonTokenType.Null ? BindingMessages.NotNull : expected);

    /// <summary>Checks that the current token starts an object.</summary>
    public static bool StartObject(ref Utf8JsonReader reader, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            error = default;
            return true;
        }

        error = Mismatch(ref reader, BindingMessages.ExpectedObject);
        return false;
    }

    /// <summary>Checks that the current token starts an array.</summary>
    public static bool StartArray(ref Utf8JsonReader reader, out BindingError error)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            error = default;
            return true;
        }

        error = Mismatch(ref reader, BindingMessages.ExpectedArray);
        return false;
    }

    /// <summary>The error for a property name that is not part of the contract.</summary>
    /// <remarks>The name is reported only when it is a short identifier, so attacker-chosen text is never echoed.</remarks>
    public static BindingError UnknownProperty(ref Utf8JsonReader reader)
    {
        string path = "$unknown";
        if (!reader.HasValueSequence && !reader.ValueIsEscaped && reader.ValueSpan.Length is > 0 and <= 64 && IsIdentifier(reader.ValueSpan))
        {
            path = System.Text.Encoding.ASCII.GetString(reader.ValueSpan);
        }

        return new BindingError(400, path, BindingMessages.UnknownProperty);
    }

    private static bool IsIdentifier(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            bool ok = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
