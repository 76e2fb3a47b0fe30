namespace Rampart.Benchmarks.Suites;

/// <summary>
/// The one job every suite runs: a single launch with fewer iterations than BenchmarkDotNet's default
/// job, so that the whole run stays well under ten minutes on a two-core machine.
/// </summary>
internal static class RunSettings
{
    public const int Launches = 1;
    public const int WarmupIterations = 5;
    public const int Iterations = 15;
}
