using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Parsing;

/// <summary>Reads attribute arguments.</summary>
internal static class AttributeArguments
{
    /// <summary>The value of the named argument <paramref name="name"/>, or null when it is not set.</summary>
    public static object? Named(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value;
            }
        }

        return null;
    }
}
