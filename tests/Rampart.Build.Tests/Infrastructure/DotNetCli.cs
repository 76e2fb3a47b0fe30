using System;
using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>The exit code and the combined output of one dotnet command (and its standard output alone).</summary>
internal sealed record CliResult(int ExitCode, string Output, string StandardOutput = "")
{
    public override string ToString() => $"exit code {ExitCode}\n{Output}";
}

/// <summary>
/// Runs the dotnet CLI as a user would, in a child process. The MSBuild variables of the test run itself are
/// removed (they point at the running build), node reuse is off so no build server outlives the test, and
/// every run has a time limit.
/// </summary>
internal static class DotNetCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task<CliResult> RunAsync(string workingDirectory, string arguments, params (string Name, string? Value)[] environment)
    {
        using var process = new Process { StartInfo = StartInfo(workingDirectory, arguments, environment) };
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            Append(output, e.Data);
            Append(standardOutput, e.Data);
        };
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(exited, Task.Delay(Limit)) != exited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} did not finish within {Limit}:\n{output}");
        }

        // The parameterless wait also drains the redirected output.
        process.WaitForExit();
        CliResult result;
        lock (output)
        {
            lock (standardOutput)
            {
                result = new CliResult(process.ExitCode, output.ToString(), standardOutput.ToString());
            }
        }

        // Kept with the test's result (console and TRX), so a failure shows what dotnet said.
        TestContext.Current.TestOutputHelper?.WriteLine($"$ dotnet {arguments}\n{result}");
        return result;
    }

    /// <summary>How <c>dotnet <paramref name="arguments"/></c> is started: the environment of the test run without its MSBuild and VSTest variables, then <paramref name="environment"/> (null removes a variable).</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, string arguments, params (string Name, string? Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
