using System;

namespace Rampart.Generator.Model;

// The generator's model: plain records of strings, numbers, enums and EquatableArray. No ISymbol,
// SyntaxNode, Location or Compilation may appear here (a test enforces it), so every pipeline
// step compares by value and caches across edits.

/// <summary>Everything needed to emit one contract.</summary>
internal sealed record ContractModel(
    string Namespace,
    EquatableArray<ContainingType> Containers,
    string TypeName,
    string FullName,
    string Keyword,
    string HintName,
    string HttpMethod,
    string Route,
    string EndpointName,
    EquatableArray<string> Permissions,
    bool AllowAnonymous,
    string? RateLimit,
    bool UseDefaultRateLimit,
    RateLimitPartitionModel RateLimitPartition,
    ObjectModel Request,
    EquatableArray<ObjectModel> NestedTypes,
    EquatableArray<ObjectModel> ResponseTypes,
    EquatableArray<EnumModel> Enums,
    EquatableArray<PatternModel> Patterns,
    HandlerModel Handler,
    bool HasValidateHook,
    LocationInfo? Location);

/// <summary>Who a contract's rate limits count against (the runtime's <c>RateLimitPartitioning</c>, same values).</summary>
internal enum RateLimitPartitionModel
{
    Default = 0,

    /// <summary>Always the client address: credential endpoints.</summary>
    ByAddress = 1,
}

/// <summary>A type that lexically contains the contract (it must be partial too).</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Where a member's value comes from.</summary>
internal enum MemberSource
{
    Body,
    Route,
    Query,

    /// <summary>An <c>OwnerId</c>: the authenticated caller's subject, never read from the request.</summary>
    Caller,
}

/// <summary>The scalar or structural kind of a member type.</summary>
internal enum ValueKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Decimal,
    Double,
    Guid,
    DateTimeOffset,
    Enum,
    Object,
    Collection,

    /// <summary><c>Rampart.OwnerId</c>, bound from the authenticated caller only.</summary>
    OwnerId,
}

/// <summary>How a collection member is materialised.</summary>
internal enum CollectionShape
{
    None,
    Array,
    List,
    ReadOnlyInterface,
}

/// <summary>A member type, recursively for collections.</summary>
internal sealed record TypeRef(
    ValueKind Kind,
    string FullName,
    bool IsNullable,
    bool IsValueType,
    CollectionShape Shape,
    TypeRef? Element,
    string? ObjectId,
    bool CountIsLength);

/// <summary>A record/class read from JSON, validated, or written to JSON.</summary>
internal sealed record ObjectModel(
    string Id,
    string FullName,
    EquatableArray<MemberModel> Members,
    bool UsesConstructor,
    bool IsValueType);

/// <summary>
/// A bound or written member. <c>Classification</c> is null (logged as is), <c>"Rampart"</c>
/// (<c>RampartTaxonomy.Sensitive</c>) or the fully qualified name of a DataClassificationAttribute
/// with a parameterless constructor.
/// </summary>
internal sealed record MemberModel(
    string Name,
    string JsonName,
    TypeRef Type,
    MemberSource Source,
    bool IsRequired,
    string? DefaultLiteral,
    int ConstructorIndex,
    int? MaxLength,
    EquatableArray<RuleModel> Rules,
    string? Classification);

/// <summary>The validation rule kinds the generator compiles.</summary>
internal enum RuleKind
{
    Required,
    Range,
    Length,
    Pattern,
    Email,
    Url,
    AllowedValues,
    DeniedValues,
}

/// <summary>
/// One compiled validation rule. Bounds and values are C# literals, ready to emit.
/// </summary>
internal sealed record RuleModel(
    RuleKind Kind,
    string Message,
    string? Minimum,
    string? Maximum,
    bool MinimumIsExclusive,
    bool MaximumIsExclusive,
    int PatternIndex,
    EquatableArray<string> Values);

/// <summary>An enum read or written by name.</summary>
internal sealed record EnumModel(string Id, string FullName, EquatableArray<string> Names, EquatableArray<string> Values);

/// <summary>
/// A <c>[RegularExpression]</c> pattern: either a sequence of simple atoms (emitted as span code)
/// or, when <see cref="Atoms"/> is empty, a cached NonBacktracking regex.
/// </summary>
internal sealed record PatternModel(string Pattern, int TimeoutMilliseconds, EquatableArray<PatternAtom> Atoms, bool IsSimple);

/// <summary>One character-set atom with a quantifier; <c>Max = -1</c> means unbounded.</summary>
internal sealed record PatternAtom(EquatableArray<CharRange> Ranges, bool Negated, bool UnicodeDigits, int Min, int Max, string Source);

/// <summary>An inclusive character range.</summary>
internal readonly record struct CharRange(char First, char Last);

/// <summary>What a handler parameter receives.</summary>
internal enum ParameterKind
{
    Request,
    Caller,
    ClaimsPrincipal,
    HttpContext,
    CancellationToken,
    Service,

    /// <summary><c>Rampart.OwnerId</c>: the authenticated caller's subject.</summary>
    Owner,
}

/// <summary>A handler parameter.</summary>
internal sealed record HandlerParameter(ParameterKind Kind, string TypeName);

/// <summary>How a handler's result is awaited.</summary>
internal enum AwaitKind
{
    None,
    Task,
    ValueTask,
}

/// <summary>One case of a handler's result.</summary>
internal enum ResultKind
{
    Empty,
    Value,
    NullableValue,
    StatusOnly,
    StatusWithValue,
    Created,
    CreatedWithValue,
    Problem,
}

/// <summary>A result case: for unions, the runtime type to test for.</summary>
internal sealed record ResultCase(ResultKind Kind, string? TypeName, int Status, TypeRef? Value);

/// <summary>The handler method and what its result means.</summary>
internal sealed record HandlerModel(string Name, EquatableArray<HandlerParameter> Parameters, AwaitKind Await, bool IsUnion, EquatableArray<ResultCase> Results);

/// <summary>A diagnostic location without Roslyn objects.</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>A diagnostic to report, by catalogue id.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);

/// <summary>The result of parsing one contract.</summary>
internal sealed record ParseResult(ContractModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
