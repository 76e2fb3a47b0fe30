using System;
using System.Linq;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// Shapes of user code the generator must either handle or reject with a Rampart diagnostic:
/// "whatever the generator cannot generate is a compile error with a clear diagnostic" — never
/// generated code that does not compile.
/// </summary>
public sealed class EdgeCaseTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Linq;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Rampart;
        using Rampart.Binding;
        using Rampart.Validation;

        """;

    private static GeneratorOutput Run(string source) => TestCompiler.Run(new SourceFile("Edge.cs", Usings + source));

    /// <summary>Either the generated code compiles, or a Rampart error explains why nothing was generated.</summary>
    private static void AssertCompilesOrIsDiagnosed(GeneratorOutput output)
    {
        var generatedErrors = output.CompilationProblems.Where(d => d.Location.SourceTree is { } t && GeneratorOutput.IsGenerated(t)).ToList();
        Assert.True(generatedErrors.Count == 0,
            "Generated code does not compile (a Rampart diagnostic should have been reported instead):\n" +
            string.Join("\n", generatedErrors.Select(GeneratorOutput.Describe)) +
            "\nGenerator diagnostics:\n" + Snapshot.DescribeDiagnostics(output.GeneratorDiagnostics));
    }

    [Fact]
    public void RecursiveRequestTypeBindsAndValidates()
    {
        var output = Run("""
            namespace Trees;

            public sealed record Node
            {
                [MaxLength(5)] public required string Name { get; init; }
                [MaxLength(3)] public List<Node>? Children { get; init; }
            }

            [SecureEndpoint("POST", "/trees", Permission = "trees:write")]
            public sealed partial record PlantTree
            {
                public required Node Root { get; init; }

                static NoContent Handle(PlantTree request) => TypedResults.NoContent();
            }

            public static class Harness
            {
                public static string Run(string json)
                {
                    if (!PlantTree.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), JsonLimits.Default, out var tree, out var error))
                        return error.Path + ": " + error.Message;
                    var errors = new ValidationErrors();
                    return PlantTree.RampartEndpoint.Validate(tree, errors) ? "valid" : string.Join("; ", errors.Entries.Select(e => e.Key));
                }
            }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        using var assembly = CompiledAssembly.Load(output);
        Assert.Equal("valid", assembly.Call<string>("Trees.Harness", "Run", """{"root":{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}}"""));
        Assert.Equal("root.children[0].children[1]: " + Rampart.Binding.BindingMessages.ExpectedObject,
            assembly.Call<string>("Trees.Harness", "Run", """{"root":{"name":"a","children":[{"name":"b","children":[{"name":"c"},1]}]}}"""));
    }

    [Fact]
    public void ContractNestedInAPrivateTypeIsDiagnosedNotBroken()
    {
        var output = Run("""
            namespace Hidden;

            public partial class Api
            {
                [SecureEndpoint("GET", "/hidden", AllowAnonymous = true)]
                private sealed partial record Secret
                {
                    static NoContent Handle() => TypedResults.NoContent();
                }
            }
            """);
        AssertCompilesOrIsDiagnosed(output);
    }

    [Fact]
    public void EnumWithAliasedValuesInAResponseCompiles()
    {
        var output = Run("""
            namespace Aliases;

            public enum State { Active = 1, Enabled = 1, Disabled = 2 }

            public sealed record StateView(State State);

            [SecureEndpoint("GET", "/state", AllowAnonymous = true)]
            public sealed partial record GetState
            {
                public State? Filter { get; init; }

                static StateView Handle(GetState request) => new(request.Filter ?? State.Active);
            }
            """);
        AssertCompilesOrIsDiagnosed(output);
    }

    [Fact]
    public void KeywordIdentifiersCompile()
    {
        var output = Run("""
            namespace Keywords;

            public enum Kind { @default, @class }

            [SecureEndpoint("POST", "/keywords", Permission = "k:w")]
            public sealed partial record UseKeywords
            {
                [MaxLength(10)] public required string @event { get; init; }
                public Kind Kind { get; init; } = Kind.@default;

                static NoContent Handle(UseKeywords request) => TypedResults.NoContent();
            }
            """);
        AssertCompilesOrIsDiagnosed(output);
    }

    [Fact]
    public void SensitiveResponseMembersAreWrittenWhenAHandlerReturnsThem()
    {
        // [Sensitive] keeps a value out of logs and error responses; a handler that returns it
        // (an API key shown once to its owner) means to send it.
        var output = Run("""
            namespace Accounts;

            public sealed record AccountView(string Name, [property: Sensitive] string ApiKey);

            [SecureEndpoint("GET", "/account", Permission = "account:read")]
            public sealed partial record GetAccount
            {
                static AccountView Handle() => new("me", "secret-key");
            }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        string code = output.Source("Accounts.GetAccount.g.cs").Text;
        Assert.Contains("\"name\"u8", code, StringComparison.Ordinal);
        Assert.Contains("writer.WriteStringValue(value.ApiKey);", code, StringComparison.Ordinal);
    }

    [Fact]
    public void SameContractNameInTwoNamespacesGetsTwoHintNames()
    {
        var output = Run("""
            namespace V1
            {
                [SecureEndpoint("GET", "/v1/ping", AllowAnonymous = true)]
                public sealed partial record Ping { static NoContent Handle() => TypedResults.NoContent(); }
            }

            namespace V2
            {
                [SecureEndpoint("GET", "/v2/ping", AllowAnonymous = true)]
                public sealed partial record Ping { static NoContent Handle() => TypedResults.NoContent(); }
            }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        Assert.Equal(new[] { "RampartEndpoints.g.cs", "V1.Ping.g.cs", "V2.Ping.g.cs" }, output.Sources.Select(s => s.HintName));
    }

    [Fact]
    public void SharedNestedTypeIsReadByEachContract()
    {
        var output = Run("""
            namespace Shared;

            public sealed record Money
            {
                [Range(0, 1000)] public required decimal Amount { get; init; }
                [RegularExpression("^[A-Z]{3}$"), MaxLength(3)] public required string Currency { get; init; }
            }

            [SecureEndpoint("POST", "/pay", Permission = "pay:w")]
            public sealed partial record Pay { public required Money Money { get; init; } static NoContent Handle(Pay r) => TypedResults.NoContent(); }

            [SecureEndpoint("POST", "/refund", Permission = "pay:w")]
            public sealed partial record Refund { public required Money Money { get; init; } static NoContent Handle(Refund r) => TypedResults.NoContent(); }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        Assert.Contains("Read_Shared_Money", output.Source("Shared.Pay.g.cs").Text, StringComparison.Ordinal);
        Assert.Contains("Read_Shared_Money", output.Source("Shared.Refund.g.cs").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordStructMembersAndNullableStructObjects()
    {
        var output = Run("""
            namespace Geo;

            public readonly record struct Point
            {
                [Range(-90.0, 90.0)] public required double Lat { get; init; }
            }

            [SecureEndpoint("POST", "/route", Permission = "geo:w")]
            public partial record struct PlanRoute
            {
                public required Point From { get; init; }
                public Point? Via { get; init; }
                [MaxLength(5)] public Point[]? Stops { get; init; }

                static NoContent Handle(PlanRoute request) => TypedResults.NoContent();
            }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
    }

    [Fact]
    public void ErrorMessagePlaceholdersAreFormattedAsDataAnnotationsDoes()
    {
        // DataAnnotations formats {0} with the member name and {1}/{2} with the attribute's bounds.
        var output = Run("""
            namespace Messages;

            [SecureEndpoint("POST", "/messages", Permission = "m:w")]
            public sealed partial record Send
            {
                [Range(1, 10, ErrorMessage = "{0} must be between {1} and {2}.")] public required int Count { get; init; }
                [StringLength(20, MinimumLength = 2, ErrorMessage = "{0}: {2} to {1} characters.")] public required string Text { get; init; }
                [MaxLength(3, ErrorMessage = "{0} takes at most {1} items.")] public required int[] Ids { get; init; }

                static NoContent Handle(Send request) => TypedResults.NoContent();
            }
            """);
        output.AssertNoGeneratorDiagnostics().AssertCompiles();
        string code = output.Source("Messages.Send.g.cs").Text;
        Assert.True(code.Contains("\"count must be between 1 and 10.\"", StringComparison.Ordinal), string.Join("\n", code.Split('\n').Where(l => l.Contains("errors.Add", StringComparison.Ordinal))));
        Assert.Contains("\"count must be between 1 and 10.\"", code, StringComparison.Ordinal);
        Assert.Contains("\"text: 2 to 20 characters.\"", code, StringComparison.Ordinal);
        Assert.Contains("\"ids takes at most 3 items.\"", code, StringComparison.Ordinal);
    }
}
