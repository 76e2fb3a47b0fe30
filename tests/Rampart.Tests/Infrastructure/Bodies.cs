using System.Collections.Generic;
using System.Linq;

namespace Rampart.Tests.Infrastructure;

/// <summary>Valid request bodies for the kitchen-sink contracts, and ways to vary one member.</summary>
public static class Bodies
{
    public const string GuidText = "6f9619ff-8b86-d011-b42d-00cf4fc964ff";

    /// <summary>The required members of <c>ScalarsRequest</c>, as raw JSON values.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ScalarMembers = new KeyValuePair<string, string>[]
    {
        new("text", "\"hello\""),
        new("flag", "true"),
        new("int", "1"),
        new("long", "2"),
        new("decimal", "3.5"),
        new("double", "4.25"),
        new("guid", "\"" + GuidText + "\""),
        new("when", "\"2024-05-06T07:08:09+02:00\""),
        new("color", "\"Green\""),
    };

    /// <summary>A valid <c>ScalarsRequest</c> body.</summary>
    public static string Scalars() => Object(ScalarMembers);

    /// <summary>
    /// A <c>ScalarsRequest</c> body with <paramref name="member"/> set to the raw JSON <paramref name="value"/>
    /// (null removes it; a member not in the base set is appended).
    /// </summary>
    public static string Scalars(string member, string? value) => With(ScalarMembers, member, value);

    public static string With(IReadOnlyList<KeyValuePair<string, string>> members, string member, string? value)
    {
        var list = members.ToList();
        int index = list.FindIndex(p => p.Key == member);
        if (index >= 0)
        {
            if (value is null)
            {
                list.RemoveAt(index);
            }
            else
            {
                list[index] = new(member, value);
            }
        }
        else if (value is not null)
        {
            list.Add(new(member, value));
        }

        return Object(list);
    }

    public static string Object(IEnumerable<KeyValuePair<string, string>> members) =>
        "{" + string.Join(",", members.Select(p => "\"" + p.Key + "\":" + p.Value)) + "}";

    /// <summary>A valid <c>PlaceOrder</c> body with three items.</summary>
    public const string Order = """
        {
          "customer": "Ada Lovelace",
          "shipTo": { "street": "1 Analytical Way", "zip": "london-123", "country": "GB" },
          "items": [
            { "sku": "ABCD1234", "quantity": 1 },
            { "sku": "EFGH5678", "quantity": 2, "unitPrice": 9.99, "options": { "flags": ["gift"], "priority": 3 } },
            { "sku": "IJKL9012", "quantity": 3, "options": null }
          ],
          "tags": ["a", "b"],
          "colors": ["Red", "Blue"],
          "numbers": [1, 2, 3, 4],
          "holes": [1, null, 3],
          "longs": [9223372036854775807],
          "amounts": [0.1, 79228162514264337593543950335],
          "weights": [1.5e10, -0.0],
          "switches": [true, false],
          "refs": ["6f9619ff-8b86-d011-b42d-00cf4fc964ff"],
          "dates": ["2024-05-06T07:08:09Z"],
          "boxes": [{ "width": 10, "height": 20 }]
        }
        """;

    /// <summary>A valid <c>PlaceOrder</c> body with only the required members.</summary>
    public const string MinimalOrder = """{"customer":"Bo","shipTo":{"street":"s","zip":"ab-12"},"items":[{"sku":"ABCD1234","quantity":1}]}""";

    /// <summary>A <c>Tree</c> body whose JSON nesting depth (objects, counting the outermost) is <paramref name="depth"/>.</summary>
    public static string Tree(int depth)
    {
        // {"root": N1} where each node holds the next: depth = 1 (outer object) + number of nodes.
        int nodes = depth - 1;
        var sb = new System.Text.StringBuilder("{\"root\":");
        for (int i = 0; i < nodes; i++)
        {
            sb.Append("{\"value\":").Append(i);
            if (i < nodes - 1)
            {
                sb.Append(",\"child\":");
            }
        }

        sb.Append('}', nodes);
        sb.Append('}');
        return sb.ToString();
    }
}
