using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>
/// Compiled validation must agree with System.ComponentModel.DataAnnotations: the same values are
/// checked by the generated validator and by the attributes themselves (Validator.TryValidateObject
/// and RegularExpressionAttribute.IsValid), and any disagreement fails with the value that shows it.
/// One documented difference is part of the oracle: a pattern is matched against the empty string too
/// (RegularExpressionAttribute passes "" without matching), with the attribute's own whole-match rule.
/// </summary>
public sealed class DifferentialTests(DifferentialTests.Fixture fixture) : IClassFixture<DifferentialTests.Fixture>
{
    /// <summary>Patterns the generator compiles to span code (and a few it must hand to the regex engine).</summary>
    public static readonly string[] Patterns =
    {
        "^[A-Z0-9]{8}$",
        "^[a-z][a-z0-9_]{2,15}$",
        @"[A-Z]{2}\.[0-9]+",
        "^[^@]+@[a-z]+$",
        @"^\d{3}-\d{4}$",
        @"^\d+\.\d{2}$",
        "^x*y?z+$",
        "ab*",
        "^[]a]+$",
        @"^[a\-z]+$",
        "^[^a-c]{1,3}d$",
        @"^[\d]+x$",
        @"^\$\d+$",
        @"^a\$$",
        "^-?[0-9]+$",
        "^[A-Fa-f0-9]{1,4}$",
        "^a{2,}b$",
        "^a{0}b$",
        "^.{2,4}$",
        "^.+@$",
        "a.c",
        "^(ab|cd)+$",
        "^[a-z]+[a-z0-9]$",

        // Patterns that match the empty string: "" must pass them and fail every pattern above.
        "^[a-z]*$",
        "^x?y*$",
        "a*",
        "^(ab)*$",
        "^$",
    };

    /// <summary>Patterns whose braces are not a quantifier in .NET (whitespace or a sign inside).</summary>
    public static readonly string[] LiteralBracePatterns =
    {
        "^a{ 2}$",
        "^a{2 }$",
        "^a{+2}$",
        "^a{1, 3}$",
    };

    private const string Alphabet = "aAbcdxyzBZ019_-.@$]{} \n\u0663\u00e9+,";

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            var all = Patterns.Concat(LiteralBracePatterns).ToArray();
            var sb = new StringBuilder();
            sb.Append("""
                using System;
                using System.Collections.Generic;
                using System.ComponentModel.DataAnnotations;
                using System.Linq;
                using Microsoft.AspNetCore.Http;
                using Microsoft.AspNetCore.Http.HttpResults;
                using Rampart;
                using Rampart.Validation;

                namespace Diff;

                [SecureEndpoint("POST", "/patterns", Permission = "p:w")]
                public sealed partial record PatternContract
                {

                """);
            for (int i = 0; i < all.Length; i++)
            {
                sb.Append($"    [RegularExpression(@\"{all[i].Replace("\"", "\"\"", StringComparison.Ordinal)}\"), MaxLength(100)] public string? P{i} {{ get; init; }}\n");
            }

            sb.Append("""
                    static NoContent Handle(PatternContract request) => TypedResults.NoContent();
                }

                [SecureEndpoint("POST", "/diff", Permission = "d:w")]
                public sealed partial record DiffContract
                {
                    [Range(1, 10)] public int I { get; init; }
                    [Range(1.5, 2.5, MinimumIsExclusive = true)] public double D { get; init; }
                    [Range(typeof(decimal), "0.1", "0.3", MaximumIsExclusive = true)] public decimal M { get; init; }
                    [Range(-5, 5)] public long? L { get; init; }
                    [StringLength(5, MinimumLength = 2)] public string? S1 { get; init; }
                    [MinLength(2), MaxLength(4)] public string? S2 { get; init; }
                    [Length(1, 3)] public int[]? A { get; init; }
                    [MinLength(1), MaxLength(2)] public List<string>? Li { get; init; }
                    [Length(0, 2)] public IReadOnlyList<int>? Ro { get; init; }
                    [EmailAddress, MaxLength(30)] public string? E { get; init; }
                    [Url, MaxLength(30)] public string? U { get; init; }
                    [AllowedValues("x", "y"), MaxLength(5)] public string Al { get; init; } = "x";
                    [DeniedValues(3, 4)] public int Dv { get; init; }
                    [AllowedValues(1.5, 2.5)] public double? Ad { get; init; }
                    [Required, MaxLength(5)] public string? R { get; init; }
                    [Required(AllowEmptyStrings = true), MaxLength(5)] public string? Re { get; init; }
                    [Required, MaxLength(5)] public int[]? Ra { get; init; }
                    [RegularExpression("^[a-z]+$"), MaxLength(5)] public string? P { get; init; }
                    [RegularExpression("^[a-z]*$"), MaxLength(5)] public string? Pz { get; init; }
                    [Required(AllowEmptyStrings = true), RegularExpression("^[a-z]+$"), MaxLength(5)] public string? Rp { get; init; }
                    [Required(AllowEmptyStrings = true), RegularExpression("^[a-z]*$"), MaxLength(5)] public string? Rz { get; init; }

                    static NoContent Handle(DiffContract request) => TypedResults.NoContent();
                }

                public static class Harness
                {
                    static readonly string[] Patterns = new[] {
                """);
            foreach (string p in all)
            {
                sb.Append($"        @\"{p.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\n");
            }

            sb.Append("""
                    };

                    static HashSet<string> Generated<T>(T value, Func<T, ValidationErrors?, bool> validate, out bool quick)
                    {
                        quick = validate(value, null);
                        var errors = new ValidationErrors();
                        validate(value, errors);
                        return new HashSet<string>(errors.Entries.Select(e => e.Key));
                    }

                    static string Json(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

                    /// <summary>
                    /// RegularExpressionAttribute's whole-match rule (the first match must start at 0 and cover
                    /// the value) applied to every string, "" included: the attribute itself returns true for
                    /// "" before matching, and that shortcut is what Rampart deliberately does not copy.
                    /// </summary>
                    static bool PatternAccepts(string pattern, string value)
                    {
                        if (value.Length > 0)
                        {
                            return new RegularExpressionAttribute(pattern).IsValid(value);
                        }

                        var match = new System.Text.RegularExpressions.Regex(pattern).Match(value);
                        return match.Success && match.Index == 0 && match.Length == 0;
                    }

                    /// <summary>The members DataAnnotations rejects, plus those whose pattern rejects "" (see PatternAccepts).</summary>
                    static HashSet<string> Annotations(object value)
                    {
                        var results = new List<ValidationResult>();
                        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
                        var invalid = new HashSet<string>(results.SelectMany(r => r.MemberNames).Select(Json));
                        foreach (var property in value.GetType().GetProperties())
                        {
                            if (property.GetValue(value) is string { Length: 0 } empty
                                && property.GetCustomAttributes(typeof(RegularExpressionAttribute), true) is [RegularExpressionAttribute pattern]
                                && !PatternAccepts(pattern.Pattern, empty))
                            {
                                invalid.Add(Json(property.Name));
                            }
                        }

                        return invalid;
                    }

                    static PatternContract WithAll(string value)
                    {
                        var contract = new PatternContract();
                        foreach (var property in typeof(PatternContract).GetProperties().Where(p => p.Name.StartsWith("P")))
                        {
                            typeof(PatternContract).GetProperty(property.Name)!.SetValue(contract, value);
                        }

                        return contract;
                    }

                    /// <summary>Mismatches between compiled patterns and RegularExpressionAttribute for <paramref name="values"/>.</summary>
                    public static string[] ComparePatterns(int index, string[] values)
                    {
                        var mismatches = new List<string>();
                        string key = "p" + index;
                        foreach (string value in values)
                        {
                            var generated = Generated(WithAll(value), PatternContract.RampartEndpoint.Validate, out _);
                            bool expected = PatternAccepts(Patterns[index], value);
                            bool actual = !generated.Contains(key);
                            if (expected != actual)
                            {
                                mismatches.Add($"pattern {Patterns[index]} value \"{Escape(value)}\": DataAnnotations (\"\" matched) says {(expected ? "valid" : "invalid")}, generated code says {(actual ? "valid" : "invalid")}");
                            }
                        }

                        return mismatches.ToArray();
                    }

                    static string Escape(string s) => s.Replace("\n", "\\n").Replace("\u0663", "\\u0663");

                    static T Pick<T>(Random random, params T[] values) => values[random.Next(values.Length)];

                    /// <summary>Validates <paramref name="count"/> random DiffContract values both ways; returns disagreements.</summary>
                    public static string[] CompareAttributes(int seed, int count)
                    {
                        var random = new Random(seed);
                        var mismatches = new List<string>();
                        for (int n = 0; n < count && mismatches.Count < 20; n++)
                        {
                            var value = new DiffContract
                            {
                                I = Pick(random, 0, 1, 5, 10, 11, -1, int.MinValue, int.MaxValue),
                                D = Pick(random, 1.5, 1.5000001, 2.0, 2.5, 2.5000001, 1.4, 0.0, double.NaN),
                                M = Pick(random, 0.1m, 0.2m, 0.3m, 0.09m, 0.31m, 0.2999m),
                                L = Pick<long?>(random, null, -5, 5, 6, -6, 0),
                                S1 = Pick(random, null, "", "a", "ab", "abcde", "abcdef"),
                                S2 = Pick(random, null, "", "a", "ab", "abcd", "abcde"),
                                A = Pick(random, null, new int[0], new[] { 1 }, new[] { 1, 2, 3 }, new[] { 1, 2, 3, 4 }),
                                Li = Pick(random, null, new List<string>(), new List<string> { "a" }, new List<string> { "a", "b" }, new List<string> { "a", "b", "c" }),
                                Ro = Pick<IReadOnlyList<int>?>(random, null, new List<int>(), new[] { 1 }, new List<int> { 1, 2, 3 }),
                                E = Pick(random, null, "", "a@b", "@b", "a@", "a@@b", "a\n@b", "ab", " @ "),
                                U = Pick(random, null, "", "http://x", "HTTPS://x", "ftp://", "mailto:x", "//x", "http:/x"),
                                Al = Pick(random, "x", "y", "z", "X", ""),
                                Dv = Pick(random, 1, 3, 4, 5),
                                Ad = Pick<double?>(random, 1.5, 2.5, 2.0),
                                R = Pick(random, null, "", " ", "a"),
                                Re = Pick(random, null, "", " ", "a"),
                                Ra = Pick(random, null, new int[0], new[] { 1 }),
                                P = Pick(random, null, "", "abc", "aBc", "abc\n"),
                                Pz = Pick(random, null, "", "abc", "aBc"),
                                Rp = Pick(random, null, "", " ", "abc", "aBc"),
                                Rz = Pick(random, null, "", " ", "abc", "aBc"),
                            };

                            var generated = Generated(value, DiffContract.RampartEndpoint.Validate, out bool quick);
                            var expected = Annotations(value);
                            if (!generated.SetEquals(expected) || quick != (expected.Count == 0))
                            {
                                mismatches.Add($"{value}: DataAnnotations [{string.Join(", ", expected.OrderBy(x => x))}], generated [{string.Join(", ", generated.OrderBy(x => x))}], quick pass {quick}");
                            }
                        }

                        return mismatches.ToArray();
                    }
                }
                """);
            Output = TestCompiler.Run(new SourceFile("Diff.cs", sb.ToString())).AssertNoGeneratorDiagnostics().AssertCompiles();
            Assembly = CompiledAssembly.Load(Output);
        }

        public GeneratorOutput Output { get; }

        public CompiledAssembly Assembly { get; }

        public void Dispose() => Assembly.Dispose();
    }

    public static TheoryData<int> PatternIndexes => new(Enumerable.Range(0, Patterns.Length));

    public static TheoryData<int> LiteralBraceIndexes => new(Enumerable.Range(Patterns.Length, LiteralBracePatterns.Length));

    /// <summary>Random strings over an alphabet that exercises every pattern, plus strings built from the pattern itself.</summary>
    private static string[] Values(string pattern, int seed)
    {
        var random = new Random(seed);
        var values = new List<string>();
        string alphabet = Alphabet + new string(pattern.Where(char.IsLetterOrDigit).Distinct().ToArray());
        for (int n = 0; n < 4000; n++)
        {
            int length = random.Next(0, 9);
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            values.Add(new string(chars));
        }

        // The empty string, a lone line break, the literal text of the pattern (without anchors) and strings near it.
        string literal = pattern.TrimStart('^').TrimEnd('$');
        values.AddRange(new[] { string.Empty, "\n", literal, literal + "\n", "a{ 2}", "a{2 }", "a{+2}", "a{1, 3}", "aa", "aaa", "a", "ab", "abab", "12345678", "ABCD1234", "AB.12", "x@y", "123-4567", "\u0663\u0663\u0663-1234", "1.23", "$12", "a$" });
        return values.Distinct().ToArray();
    }

    private void AssertPatternAgrees(int index)
    {
        string pattern = index < Patterns.Length ? Patterns[index] : LiteralBracePatterns[index - Patterns.Length];
        var mismatches = fixture.Assembly.Call<string[]>("Diff.Harness", "ComparePatterns", index, Values(pattern, seed: 1000 + index));
        Assert.True(mismatches.Length == 0, string.Join("\n", mismatches.Take(10)));
    }

    [Theory]
    [MemberData(nameof(PatternIndexes))]
    public void CompiledPatternAgreesWithRegularExpressionAttribute(int index) => AssertPatternAgrees(index);

    [Theory]
    [MemberData(nameof(LiteralBraceIndexes))]
    public void BracesThatAreNotQuantifiersAreMatchedLiterally(int index) => AssertPatternAgrees(index);

    [Fact]
    public void SimplePatternsReallyRunAsSpanCode()
    {
        // Most of the patterns above must take the span path, or the comparison tests the regex engine only.
        string code = fixture.Output.Source("Diff.PatternContract.g.cs").Text;
        int regexes = code.Split("Rules.CreatePattern(").Length - 1;
        int spans = code.Split("global::System.ReadOnlySpan<char> s)").Length - 1;
        Assert.True(spans >= 15, $"only {spans} patterns compiled to span code");
        Assert.True(regexes >= 3, $"only {regexes} patterns fell back to the regex engine");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CompiledAttributesAgreeWithDataAnnotations(int seed)
    {
        var mismatches = fixture.Assembly.Call<string[]>("Diff.Harness", "CompareAttributes", seed, 3000);
        Assert.True(mismatches.Length == 0, string.Join("\n", mismatches));
    }
}
