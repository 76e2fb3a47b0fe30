using System.Globalization;

namespace Rampart.Binding;

/// <summary>
/// Why a request could not be bound: the HTTP status to answer with, the JSON path of the offending
/// value (<c>items[2].quantity</c>) and a message that never repeats the input.
/// </summary>
/// <remarks>
/// Generated readers build the path only on the failure path: each level prepends its own segment
/// while the error travels up, so a successful read allocates no path strings.
/// </remarks>
public readonly struct BindingError
{
    /// <summary>Creates an error.</summary>
    public BindingError(int status, string path, string message)
    {
        Status = status;
        Path = path;
        Message = message;
    }

    /// <summary>The HTTP status code (400, 413 or 415).</summary>
    public int Status { get; }

    /// <summary>The JSON path of the offending value; empty for the whole body.</summary>
    public string Path { get; }

    /// <summary>A message safe to return to the client: it never echoes the input.</summary>
    public string Message { get; }

    /// <summary>A 400 error at the current value.</summary>
    public static BindingError Invalid(string message) => new(400, string.Empty, message);

    /// <summary>This error, nested under the member <paramref name="name"/>.</summary>
    public BindingError Under(string name) => new(Status, Path.Length == 0 ? name : Path[0] == '[' ? name + Path : name + "." + Path, Message);

    /// <summary>This error, nested under array element <paramref name="index"/>.</summary>
    public BindingError Under(int index)
    {
        string segment = "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
        return new(Status, Path.Length == 0 ? segment : Path[0] == '[' ? segment + Path : segment + "." + Path, Message);
    }
}

/// <summary>Messages used by generated binders; none of them includes the offending input.</summary>
public static class BindingMessages
{
    /// <summary>Unknown member.</summary>
    public const string UnknownProperty = "This property is not part of the contract.";
    /// <summary>Duplicate member.</summary>
    public const string DuplicateProperty = "This property appears more than once.";
    /// <summary>Missing member.</summary>
    public const string Required = "This value is required.";
    /// <summary>Null for a non-nullable member.</summary>
    public const string NotNull = "This value must not be null.";
    /// <summary>Wrong JSON type: string expected.</summary>
    public const string ExpectedString = "Expected a JSON string.";
    /// <summary>Wrong JSON type: boolean expected.</summary>
    public const string ExpectedBoolean = "Expected true or false.";
    /// <summary>Wrong JSON type: object expected.</summary>
    public const string ExpectedObject = "Expected a JSON object.";
    /// <summary>Wrong JSON type: array expected.</summary>
    public const string ExpectedArray = "Expected a JSON array.";
    /// <summary>Not a 32-bit integer.</summary>
    public const string ExpectedInt32 = "Expected an integer between -2147483648 and 2147483647.";
    /// <summary>Not a 64-bit integer.</summary>
    public const string ExpectedInt64 = "Expected a 64-bit integer.";
    /// <summary>Not a decimal.</summary>
    public const string ExpectedDecimal = "Expected a decimal number.";
    /// <summary>Not a finite double.</summary>
    public const string ExpectedDouble = "Expected a finite number.";
    /// <summary>Not a GUID.</summary>
    public const string ExpectedGuid = "Expected a GUID (00000000-0000-0000-0000-000000000000).";
    /// <summary>Not an ISO 8601 date and time.</summary>
    public const string ExpectedDateTimeOffset = "Expected an ISO 8601 date and time.";
    /// <summary>Not one of the enum's names.</summary>
    public const string ExpectedEnum = "Expected one of the allowed names.";
    /// <summary>String longer than the maximum.</summary>
    public const string StringTooLong = "The value is longer than allowed.";
    /// <summary>Array longer than the maximum.</summary>
    public const string ArrayTooLong = "The array has more items than allowed.";
    /// <summary>Malformed JSON.</summary>
    public const string MalformedJson = "The request body is not valid JSON.";
    /// <summary>Too deep.</summary>
    public const string TooDeep = "The request body is nested too deeply.";
    /// <summary>Empty body.</summary>
    public const string BodyRequired = "A JSON object is required as the request body.";
    /// <summary>Trailing data after the JSON value.</summary>
    public const string TrailingData = "The request body has data after the JSON object.";
    /// <summary>Body too large.</summary>
    public const string BodyTooLarge = "The request body is larger than allowed.";
    /// <summary>Wrong media type.</summary>
    public const string UnsupportedMediaType = "The request body must be application/json with UTF-8 encoding.";
    /// <summary>Query key given twice.</summary>
    public const string DuplicateQuery = "This query parameter appears more than once.";
    /// <summary>Unknown query key.</summary>
    public const string UnknownQuery = "This query parameter is not part of the contract.";
}
