using BenchmarkDotNet.Running;

namespace Rampart.Benchmarks;

/// <summary>Runs the suites: <c>dotnet run -c Release --project benchmarks/Rampart.Benchmarks -- --filter '*'</c>.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
