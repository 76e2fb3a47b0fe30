using System.Collections.Generic;

namespace Rampart.Validation;

/// <summary>
/// Validation failures keyed by JSON path (<c>items[2].quantity</c>). Created only on the failure
/// path: generated validation first runs a stop-at-first-failure pass that allocates nothing.
/// </summary>
public sealed class ValidationErrors
{
    private readonly List<KeyValuePair<string, List<string>>> _errors = new();

    /// <summary>The number of paths with at least one error.</summary>
    public int Count => _errors.Count;

    /// <summary>Errors in the order they were found, grouped by path.</summary>
    public IReadOnlyList<KeyValuePair<string, List<string>>> Entries => _errors;

    /// <summary>Adds <paramref name="message"/> for <paramref name="path"/>.</summary>
    public void Add(string path, string message)
    {
        foreach (var entry in _errors)
        {
            if (entry.Key == path)
            {
                if (!entry.Value.Contains(message))
                {
                    entry.Value.Add(message);
                }

                return;
            }
        }

        _errors.Add(new(path, new List<string> { message }));
    }

    /// <summary>Adds an error, creating the collection on first use (the custom-rule hook uses this).</summary>
    public static void Add(ref ValidationErrors? errors, string path, string message) => (errors ??= new ValidationErrors()).Add(path, message);

    /// <summary>The messages for <paramref name="path"/>, or null.</summary>
    public IReadOnlyList<string>? this[string path]
    {
        get
        {
            foreach (var entry in _errors)
            {
                if (entry.Key == path)
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }
}

/// <summary>Builds JSON paths (<c>items[2].quantity</c>) on the failure path of generated validation.</summary>
public static class JsonPath
{
    /// <summary>The path of member <paramref name="name"/> under <paramref name="parent"/>.</summary>
    public static string Member(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    /// <summary>The path of item <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
