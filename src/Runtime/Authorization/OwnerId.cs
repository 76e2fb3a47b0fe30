using System;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Rampart;

/// <summary>
/// The id (<c>sub</c>) of the authenticated caller, as the owner of the objects a request may touch.
/// </summary>
/// <remarks>
/// Object-level authorization (OWASP API1, "BOLA") fails when an owner id comes from the request.
/// An <see cref="OwnerId"/> cannot be made from a string: the only way to get one is
/// <see cref="TryFromCaller(ClaimsPrincipal, out OwnerId)"/>, which reads the authenticated principal.
/// Contracts take it as a member (bound from the caller, never from JSON, route or query) and
/// owner-scoped stores take it as a parameter, so a handler cannot pass another user's id.
/// </remarks>
public readonly struct OwnerId : IEquatable<OwnerId>
{
    private readonly string? _value;

    private OwnerId(string value) => _value = value;

    /// <summary>The caller's id. Throws for <c>default(OwnerId)</c>, which no caller produced.</summary>
    public string Value => _value ?? throw new InvalidOperationException("This OwnerId was not produced from an authenticated caller.");

    /// <summary>True when this value came from an authenticated caller.</summary>
    public bool HasValue => _value is not null;

    /// <summary>Reads the owner id from an authenticated principal (<c>sub</c>, or the name identifier).</summary>
    /// <returns>False for anonymous callers and principals without a non-empty subject.</returns>
    public static bool TryFromCaller(ClaimsPrincipal? principal, out OwnerId owner)
    {
        var id = principal is null ? null : new Caller(principal).Id;
        owner = string.IsNullOrEmpty(id) ? default : new OwnerId(id);
        return owner.HasValue;
    }

    /// <summary>Reads the owner id from the request's authenticated user.</summary>
    public static bool TryFromCaller(HttpContext context, out OwnerId owner)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TryFromCaller(context.User, out owner);
    }

    /// <inheritdoc />
    public bool Equals(OwnerId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OwnerId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>The caller's id, or an empty string for <c>default</c>.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Compares two owner ids ordinally.</summary>
    public static bool operator ==(OwnerId left, OwnerId right) => left.Equals(right);

    /// <summary>Compares two owner ids ordinally.</summary>
    public static bool operator !=(OwnerId left, OwnerId right) => !left.Equals(right);
}

/// <summary>
/// Marks a store class, or one of its <c>[Sql]</c> methods, as owner-scoped: every query must filter
/// by an <see cref="OwnerId"/> parameter (checked at compile time), so forgetting the owner filter
/// does not compile.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OwnerScopedAttribute : Attribute
{
    /// <summary>Marks the store or method as owner-scoped.</summary>
    public OwnerScopedAttribute()
    {
    }

    /// <summary>The column holding the owner id, when it is not <c>owner_id</c>.</summary>
    public string Column { get; set; } = "owner_id";

    /// <summary>
    /// Tables (or views, or table functions) without per-owner rows, such as lookup tables, that these
    /// statements may read without the owner filter: <c>"categories"</c>, or <c>"public.categories"</c> for
    /// a schema-qualified reference. Every other table a statement names must be filtered by the owner.
    /// </summary>
    public string[] SharedTables { get; set; } = [];

    /// <summary>
    /// Functions these statements may call besides the built-in ones Rampart knows to read nothing but their
    /// arguments (aggregates, string, number, date, JSON and full-text functions): <c>"similarity"</c>, or
    /// <c>"public.similarity"</c> for a schema-qualified call. Declare only functions that read no table and
    /// run no SQL; functions that run SQL given as text (<c>query_to_xml</c>, <c>ts_stat</c>, …) stay refused.
    /// </summary>
    public string[] AllowedFunctions { get; set; } = [];
}
