using System;
using System.Linq;
using System.Threading;
using Rampart.Generator.Parsing;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>Tests that set the parser's static test seam run alone: no other generator run may see it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GeneratorFailureSeamCollection
{
    public const string Name = "Generator failure seam";
}

/// <summary>RAMP0018: an exception inside the generator becomes a diagnostic on the contract, not a crash.</summary>
[Collection(GeneratorFailureSeamCollection.Name)]
public sealed class GeneratorFailureTests
{
    [Theory]
    [MemberData(nameof(DiagnosticCases.FailureSeam), MemberType = typeof(DiagnosticCases))]
    public void Triggers(string name)
    {
        ContractParser.BeforeParse = _ => throw new InvalidOperationException("boom");
        try
        {
            DiagnosticTests.AssertTriggers(DiagnosticCases.Get(name));
        }
        finally
        {
            ContractParser.BeforeParse = null;
        }
    }

    [Theory]
    [MemberData(nameof(DiagnosticCases.FailureSeam), MemberType = typeof(DiagnosticCases))]
    public void DoesNotTrigger(string name)
    {
        int calls = 0;
        ContractParser.BeforeParse = _ => Interlocked.Increment(ref calls);
        try
        {
            DiagnosticTests.AssertDoesNotTrigger(DiagnosticCases.Get(name));
            Assert.Equal(1, calls); // the seam ran, and a seam that does not throw changes nothing
        }
        finally
        {
            ContractParser.BeforeParse = null;
        }
    }

    [Fact]
    public void FailureMessageNamesTheContractAndTheException()
    {
        ContractParser.BeforeParse = _ => throw new InvalidOperationException("boom");
        try
        {
            var output = TestCompiler.Run(new SourceFile("Case.cs", DiagnosticCases.Usings + DiagnosticCases.Get("RAMP0018").NoTrigger));
            var d = Assert.Single(output.GeneratorDiagnostics);
            Assert.Equal("RAMP0018", d.Id);
            string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("'Ping'", message, StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException: boom", message, StringComparison.Ordinal);
            // The failure is contained: no CS8785 "generator failed" and the map is still emitted.
            Assert.DoesNotContain(output.GeneratorDiagnostics, x => x.Id == "CS8785");
            Assert.Contains(output.Sources, s => s.HintName == "RampartEndpoints.g.cs");
        }
        finally
        {
            ContractParser.BeforeParse = null;
        }
    }
}
