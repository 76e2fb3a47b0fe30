using System.Text.Json;

namespace Rampart.Binding;

/// <summary>
/// The limits a generated binder enforces where a contract declares none. Built once per
/// application from <see cref="Hosting.RampartOptions"/>.
/// </summary>
public sealed class JsonLimits
{
    /// <summary>Creates limits.</summary>
    public JsonLimits(int maxDepth, int maxStringLength, int maxCollectionLength)
    {
        MaxDepth = maxDepth;
        MaxStringLength = maxStringLength;
        MaxCollectionLength = maxCollectionLength;
        ReaderOptions = new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };
    }

    /// <summary>The limits Rampart uses when nothing is configured.</summary>
    public static JsonLimits Default { get; } = new(Hosting.RampartOptions.DefaultMaxJsonDepth, Hosting.RampartOptions.DefaultMaxStringLengthValue, Hosting.RampartOptions.DefaultMaxCollectionLengthValue);

    /// <summary>The deepest nesting of objects and arrays accepted.</summary>
    public int MaxDepth { get; }

    /// <summary>The maximum length of a string member that declares none.</summary>
    public int MaxStringLength { get; }

    /// <summary>The maximum number of items of a collection member that declares none.</summary>
    public int MaxCollectionLength { get; }

    /// <summary>Strict reader options: no comments, no trailing commas, bounded depth.</summary>
    public JsonReaderOptions ReaderOptions { get; }
}
