using System.Text;
using Orders.Contracts;

namespace Rampart.Benchmarks.Models;

/// <summary>Which instance a validation benchmark validates.</summary>
public enum Input
{
    /// <summary>Passes every rule: the success path every request takes.</summary>
    Valid,

    /// <summary>Breaks rules on every member: the rejection path.</summary>
    Invalid,
}

/// <summary>The instances and bodies shared by the suites.</summary>
public static class Inputs
{
    /// <summary>The FastEndpoints benchmark body, camelCase, as the client sends it.</summary>
    public const string FastEndpointsJson = """{"firstName":"John","lastName":"Doe","age":45,"phoneNumbers":["0123456789","9876543210"]}""";

    /// <summary>A CreateOrder body of the Orders sample.</summary>
    public const string CreateOrderJson = """{"productId":"AB12CD34","quantity":3,"note":"Leave at the door"}""";

    public static byte[] FastEndpointsBody => Encoding.UTF8.GetBytes(FastEndpointsJson);

    public static byte[] CreateOrderBody => Encoding.UTF8.GetBytes(CreateOrderJson);

    // PhoneNumbers is a string[] because that is what Rampart's binder (and most deserializers)
    // produce for an IEnumerable<string> member; a collection expression would create the
    // compiler's own read-only wrapper type instead, which no request ever carries.
    public static FastEndpointsRequest FastEndpoints(Input input) => input == Input.Valid
        ? new FastEndpointsRequest { FirstName = "John", LastName = "Doe", Age = 45, PhoneNumbers = new[] { "0123456789", "9876543210" } }
        // Every member fails: empty names, too young, no phone number.
        : new FastEndpointsRequest { FirstName = "", LastName = " ", Age = 5, PhoneNumbers = System.Array.Empty<string>() };

    public static CreateOrder CreateOrder(Input input) => input == Input.Valid
        ? new CreateOrder { ProductId = "AB12CD34", Quantity = 3, Note = "Leave at the door" }
        // Every member fails: a product id that breaks the pattern and the length, no units, a note too long.
        : new CreateOrder { ProductId = "ab12-cd345", Quantity = 0, Note = new string('x', 501) };
}
