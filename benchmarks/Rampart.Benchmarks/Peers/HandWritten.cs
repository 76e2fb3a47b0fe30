using System.Collections.Generic;
using System.Linq;
using Orders.Contracts;
using Rampart.Benchmarks.Models;

namespace Rampart.Benchmarks.Peers;

/// <summary>
/// The floor: the same rules written by hand as straight-line checks. Like the generated code it
/// answers "valid?" first and collects messages only for a request that fails.
/// </summary>
public static class HandWritten
{
    public static bool IsValid(FastEndpointsRequest r) =>
        !string.IsNullOrWhiteSpace(r.FirstName) && r.FirstName.Length <= 64
        && !string.IsNullOrWhiteSpace(r.LastName) && r.LastName.Length <= 64
        && r.Age > 10
        && r.PhoneNumbers is { } phones && Count(phones) is >= 1 and <= 16;

    public static List<KeyValuePair<string, string>> Errors(FastEndpointsRequest r)
    {
        var errors = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(r.FirstName)) errors.Add(new("firstName", "The firstName field is required."));
        else if (r.FirstName.Length > 64) errors.Add(new("firstName", "At most 64 characters."));
        if (string.IsNullOrWhiteSpace(r.LastName)) errors.Add(new("lastName", "The lastName field is required."));
        else if (r.LastName.Length > 64) errors.Add(new("lastName", "At most 64 characters."));
        if (r.Age <= 10) errors.Add(new("age", "The field age must be between 11 and 2147483647."));
        if (r.PhoneNumbers is not { } phones || Count(phones) < 1) errors.Add(new("phoneNumbers", "At least one phone number."));
        else if (Count(phones) > 16) errors.Add(new("phoneNumbers", "At most 16 phone numbers."));
        return errors;
    }

    public static bool IsValid(CreateOrder o) =>
        (o.ProductId is null || (o.ProductId.Length == 8 && IsProductCode(o.ProductId)))
        && o.Quantity is >= 1 and <= 1000
        && (o.Note is null || o.Note.Length <= 500);

    public static List<KeyValuePair<string, string>> Errors(CreateOrder o)
    {
        var errors = new List<KeyValuePair<string, string>>();
        if (o.ProductId is { Length: > 0 } id && (id.Length != 8 || !IsProductCode(id))) errors.Add(new("productId", "Eight upper-case letters or digits."));
        if (o.ProductId is { Length: > 8 }) errors.Add(new("productId", "At most 8 characters."));
        if (o.Quantity is < 1 or > 1000) errors.Add(new("quantity", "The field quantity must be between 1 and 1000."));
        if (o.Note is { Length: > 500 }) errors.Add(new("note", "At most 500 characters."));
        return errors;
    }

    private static int Count(IEnumerable<string> items) => items is ICollection<string> c ? c.Count : items.Count();

    private static bool IsProductCode(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
