using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Diagnostics;

/// <summary>
/// Data-access diagnostics (RAMP0040…) of <c>[Sql]</c> store methods, and RAMP0070… of the analyzer
/// for command text built in user code. Part of <see cref="DiagnosticCatalogue.All"/>.
/// </summary>
internal static class DataAccessDiagnostics
{
    private const string Category = "Rampart";
    private const string HelpBase = "https://github.com/rampart-dotnet/rampart/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor StoreNotPartial = Error("RAMP0040", "Store method must be a partial instance method of a partial class",
        "'{0}' must be {1}, so Rampart can generate its data access");

    public static readonly DiagnosticDescriptor PlaceholderWithoutParameter = Error("RAMP0041", "SQL placeholder has no parameter",
        "The placeholder '@{0}' in the SQL of '{1}' has no method parameter named '{0}'");

    public static readonly DiagnosticDescriptor UnusedParameter = Error("RAMP0042", "Store method parameter is not used by its SQL",
        "The parameter '{0}' of '{1}' has no '@{0}' placeholder in the SQL; use it or remove it");

    public static readonly DiagnosticDescriptor UnsupportedSqlType = Error("RAMP0043", "Unsupported data-access type",
        "{0} '{1}' of '{2}' has type '{3}', which Rampart cannot bind to or read from SQL; use string, bool, short, int, long, double, decimal, Guid, DateTime, DateTimeOffset, byte[] or OwnerId (parameters), nullable or not");

    public static readonly DiagnosticDescriptor UnsupportedStoreReturnType = Error("RAMP0044", "Unsupported store method return type",
        "'{0}' returns '{1}'; {2}");

    public static readonly DiagnosticDescriptor ColumnMismatch = Error("RAMP0045", "Result columns do not match the return type",
        "The SQL of '{0}' does not match '{1}': {2}");

    public static readonly DiagnosticDescriptor SelectStar = Warning("RAMP0046", "SELECT * in a store method",
        "The SQL of '{0}' selects '*': columns are then found by name when the query runs, and a schema change surfaces at run time, not at compile time. List the columns.");

    public static readonly DiagnosticDescriptor MissingWhere = Warning("RAMP0047", "UPDATE or DELETE without WHERE",
        "The {0} of '{1}' has no WHERE clause and changes every row of the table");

    public static readonly DiagnosticDescriptor OwnerFilterMissing = Error("RAMP0048", "Owner-scoped SQL does not filter by the owner",
        "'{0}' is owner-scoped but {1}");

    public static readonly DiagnosticDescriptor InvalidSql = Error("RAMP0049", "SQL text cannot be read",
        "The SQL of '{0}' cannot be read: {1}");

    public static readonly DiagnosticDescriptor StoreDeclaresConstructor = Error("RAMP0050", "Store declares a constructor",
        "The store '{0}' declares a constructor; Rampart generates the constructor that takes the RampartDatabase (keep other state in other services)");

    public static readonly DiagnosticDescriptor StringBuiltCommandText = Error("RAMP0070", "SQL command text built from values",
        "{0} is built at run time from {1}; keep the SQL text constant and pass values as @name parameters (a [Sql] store method, or command.Parameters) so they can never become SQL");

    public static readonly DiagnosticDescriptor UnprovenCommandText = Error("RAMP0071", "SQL command text not provably constant",
        "{0} cannot be proven constant: it comes from {1}; use constant SQL text (literals, const or readonly fields, helpers that return constants, parameters of private or internal methods whose every caller passes constants) and pass values as @name parameters (a [Sql] store method, or command.Parameters)");

    public static DiagnosticDescriptor[] All { get; } =
    {
        StoreNotPartial, PlaceholderWithoutParameter, UnusedParameter, UnsupportedSqlType, UnsupportedStoreReturnType,
        ColumnMismatch, SelectStar, MissingWhere, OwnerFilterMissing, InvalidSql, StoreDeclaresConstructor,
        StringBuiltCommandText,
        UnprovenCommandText,
    };

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
