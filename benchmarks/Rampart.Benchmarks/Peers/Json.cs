using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orders.Contracts;
using Rampart.Benchmarks.Models;

namespace Rampart.Benchmarks.Peers;

/// <summary>System.Text.Json source generation for the benchmark bodies (camelCase names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FastEndpointsRequest))]
[JsonSerializable(typeof(CreateOrder))]
public sealed partial class BenchmarkJsonContext : JsonSerializerContext
{
}

/// <summary>
/// The floor for binding: a Utf8JsonReader loop written by hand. It checks what it must to build
/// the object (token types via the reader's getters, unknown members rejected, required members
/// present) and nothing more: no duplicate detection, no length limits.
/// </summary>
public static class HandWrittenJson
{
    public static FastEndpointsRequest? ReadFastEndpoints(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? firstName = null, lastName = null;
        int age = 0;
        bool hasAge = false;
        List<string>? phoneNumbers = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("firstName"u8))
            {
                reader.Read();
                firstName = reader.GetString();
            }
            else if (reader.ValueTextEquals("lastName"u8))
            {
                reader.Read();
                lastName = reader.GetString();
            }
            else if (reader.ValueTextEquals("age"u8))
            {
                reader.Read();
                age = reader.GetInt32();
                hasAge = true;
            }
            else if (reader.ValueTextEquals("phoneNumbers"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return null;
                }

                phoneNumbers = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    phoneNumbers.Add(reader.GetString() ?? throw new JsonException("null phone number"));
                }
            }
            else
            {
                return null;
            }
        }

        if (firstName is null || lastName is null || !hasAge || phoneNumbers is null)
        {
            return null;
        }

        return new FastEndpointsRequest { FirstName = firstName, LastName = lastName, Age = age, PhoneNumbers = phoneNumbers };
    }

    public static CreateOrder? ReadCreateOrder(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? productId = null, note = null;
        int quantity = 0;
        bool hasQuantity = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("productId"u8))
            {
                reader.Read();
                productId = reader.GetString();
            }
            else if (reader.ValueTextEquals("quantity"u8))
            {
                reader.Read();
                quantity = reader.GetInt32();
                hasQuantity = true;
            }
            else if (reader.ValueTextEquals("note"u8))
            {
                reader.Read();
                note = reader.GetString();
            }
            else
            {
                return null;
            }
        }

        if (productId is null || !hasQuantity)
        {
            return null;
        }

        return new CreateOrder { ProductId = productId, Quantity = quantity, Note = note };
    }
}
