using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rampart.Validation;

namespace Rampart.Tests.Contracts;

/// <summary>Every supported validation attribute, plus the custom cross-field hook. All members are optional with valid defaults.</summary>
[SecureEndpoint("POST", "/sink/rules", AllowAnonymous = true)]
public sealed partial record RulesRequest
{
    [Range(1, 10)] public int Level { get; init; } = 5;

    [Range(-1000, 1000)] public long Offset { get; init; } = 0;

    [Range(1, 5)] public int? Stars { get; init; }

    [Range(typeof(long), "0", "9007199254740993")] public long Big { get; init; } = 0;

    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)] public double Fraction { get; init; } = 0.5;

    [Range(typeof(decimal), "0.50", "99.99")] public decimal Price { get; init; } = 1m;

    [StringLength(10, MinimumLength = 3), RegularExpression("^[A-Za-z][A-Za-z0-9_]*$")] public string? Nick { get; init; }

    [MinLength(2), MaxLength(6)] public string? Code { get; init; }

    [Length(2, 4)] public string? Initials { get; init; }

    [Length(2, 4)] public string[]? Pair { get; init; }

    [MinLength(1), MaxLength(3)] public List<int>? Scores { get; init; }

    [RegularExpression("^[A-Z0-9]{8}$"), MaxLength(8)] public string? Sku { get; init; }

    [RegularExpression("^[a-z]+-[0-9]{2,4}$"), MaxLength(16)] public string? Slug { get; init; }

    [RegularExpression("^(ab|cd)+$"), MaxLength(16)] public string? Pairs { get; init; }

    [EmailAddress, MaxLength(64)] public string? Email { get; init; }

    [Url, MaxLength(64)] public string? Homepage { get; init; }

    [AllowedValues("red", "green"), MaxLength(8)] public string Tone { get; init; } = "red";

    [DeniedValues("admin", "root"), MaxLength(16)] public string? User { get; init; }

    [AllowedValues("a", "b"), MaxLength(1)] public string? Grade { get; init; }

    [AllowedValues(1, 2, 3)] public int Tier { get; init; } = 1;

    [DeniedValues(Color.Blue)] public Color Shade { get; init; } = Color.Red;

    [Required, MaxLength(16)] public string? Title { get; init; } = "t";

    [Range(1, 10, ErrorMessage = "{0} must be in [{1}, {2}]")] public int Custom { get; init; } = 1;

    [StringLength(5, MinimumLength = 2, ErrorMessage = "{0}: {2} to {1} characters")] public string? CustomText { get; init; }

    [RegularExpression("^[a-z]+$", ErrorMessage = "{0} must match {1}"), MaxLength(8)] public string? CustomPattern { get; init; }

    /// <summary>C# keywords as member names: the JSON names are "class" and "event".</summary>
    [Range(0, 9)] public int @class { get; init; } = 0;

    public Keyword? @event { get; init; }

    public int Min { get; init; } = 0;

    public int Max { get; init; } = 10;

    /// <summary>Cross-field rule: max must not be below min.</summary>
    static void Validate(RulesRequest request, ref ValidationErrors? errors)
    {
        if (request.Max < request.Min)
        {
            ValidationErrors.Add(ref errors, "max", "max must not be less than min.");
        }
    }

    static Ok<RulesResult> Handle(RulesRequest request) => TypedResults.Ok(new RulesResult(true, request.Level));
}

/// <summary>An enum whose members are C# keywords.</summary>
public enum Keyword
{
    @default,
    @event,
}

/// <summary>The response of <see cref="RulesRequest"/>.</summary>
public sealed record RulesResult(bool Accepted, int Level);

/// <summary>[Required] on every kind of nullable member, and AllowEmptyStrings.</summary>
[SecureEndpoint("POST", "/sink/required", AllowAnonymous = true)]
public sealed partial record RequiredProbe
{
    [Required(AllowEmptyStrings = true), MaxLength(8)] public string? Blank { get; init; }

    [Required, MaxLength(8)] public string? Strict { get; init; }

    [Required] public int? Count { get; init; }

    [Required] public Color? Shade { get; init; }

    [Required, MaxLength(2)] public List<int>? Items { get; init; }

    [Required] public Dimensions? Box { get; init; }

    static NoContent Handle(RequiredProbe request) => TypedResults.NoContent();
}

/// <summary>
/// One attribute per member, no other rules that could fail, for parity with DataAnnotations:
/// a member has an error exactly when its attribute rejects the value.
/// </summary>
[SecureEndpoint("POST", "/sink/probe", AllowAnonymous = true)]
public sealed partial record ParityProbe
{
    public const string SkuPattern = "^[A-Z0-9]{8}$";
    public const string SlugPattern = "^[a-z]+-[0-9]{2,4}$";
    public const string PairsPattern = "^(ab|cd)+$";
    public const string PhonePattern = @"^\d{3}-\d{4}$";
    public const string DotPattern = "^.{2,5}$";
    public const string IdentPattern = "^[A-Za-z_][A-Za-z0-9_]*$";
    public const string NegatedPattern = "^[^,;]+;[0-9]+$";
    public const string UnanchoredPattern = "[a-c]+x?";
    public const string SpacedQuantifierPattern = "^[0-9]{1, 3}$";
    public const string AlternationPattern = "^(a|ab)(c|bcd)(d*)$";
    public const string FirstAlternativePattern = "(a|ab)";
    public const string LazyPattern = "^a+?b??";
    public const string StarPattern = "^[a-f0-9]*$"; // matches ""

    [RegularExpression(SkuPattern), MaxLength(10000)] public string? Sku { get; init; }

    [RegularExpression(SlugPattern), MaxLength(10000)] public string? Slug { get; init; }

    [RegularExpression(PairsPattern), MaxLength(10000)] public string? Pairs { get; init; }

    [RegularExpression(PhonePattern), MaxLength(10000)] public string? Phone { get; init; }

    [RegularExpression(DotPattern), MaxLength(10000)] public string? Dot { get; init; }

    [RegularExpression(IdentPattern), MaxLength(10000)] public string? Ident { get; init; }

    [RegularExpression(NegatedPattern), MaxLength(10000)] public string? Negated { get; init; }

    [RegularExpression(UnanchoredPattern), MaxLength(10000)] public string? Unanchored { get; init; }

    [RegularExpression(SpacedQuantifierPattern), MaxLength(10000)] public string? Spaced { get; init; }

    [RegularExpression(AlternationPattern), MaxLength(10000)] public string? Alternation { get; init; }

    [RegularExpression(FirstAlternativePattern), MaxLength(10000)] public string? FirstAlternative { get; init; }

    [RegularExpression(LazyPattern), MaxLength(10000)] public string? Lazy { get; init; }

    [RegularExpression(StarPattern), MaxLength(10000)] public string? Star { get; init; }

    [EmailAddress, MaxLength(10000)] public string? Email { get; init; }

    [Url, MaxLength(10000)] public string? Url { get; init; }

    static NoContent Handle(ParityProbe request) => TypedResults.NoContent();
}
