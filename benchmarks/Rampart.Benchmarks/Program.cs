using BenchmarkDotNet.Running;

namespace Rampart.Benchmarks;

/// <summary>Runs the suites: <c>dotnet run -c Release --project benchmarks/Rampart.Benchmarks -- --filter '*'</c>.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        // --allocations: bytes per request of the in-process pipeline apps, measured without timing.
        if (args.Length == 1 && args[0] == "--allocations")
        {
            Pipeline.AllocationBreakdown.RunAsync().GetAwaiter().GetResult();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
