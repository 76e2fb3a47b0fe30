using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot testing with Verify.SourceGenerators' file conventions (Verify does not restore here):
/// <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c> per generated file, first line
/// <c>//HintName: {HintName}</c>, and <c>Snapshots/{Class}.{Method}.verified.txt</c> for diagnostics.
/// A mismatch or a missing snapshot writes <c>.received.</c> files next to them and fails;
/// <c>ACCEPT_SNAPSHOTS=1</c> overwrites the verified files instead.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "ACCEPT_SNAPSHOTS";

    private static bool Accept => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    /// <summary>Verifies every generated source and the generator's diagnostics of <paramref name="output"/>.</summary>
    public static void Verify(GeneratorOutput output, [CallerMemberName] string method = "", [CallerFilePath] string sourceFile = "")
    {
        string testClass = Path.GetFileNameWithoutExtension(sourceFile);
        var files = new List<(string Name, string Text)>();
        foreach (var source in output.Sources)
        {
            files.Add(($"{testClass}.{method}#{source.HintName}.verified.cs", $"//HintName: {source.HintName}\n{source.Text}"));
        }

        files.Add(($"{testClass}.{method}.verified.txt", DescribeDiagnostics(output.GeneratorDiagnostics)));
        VerifyFiles(Directory(sourceFile), $"{testClass}.{method}", files);
    }

    /// <summary>The diagnostics text written to the <c>.verified.txt</c> snapshot.</summary>
    public static string DescribeDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var list = diagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var sb = new StringBuilder();
        sb.Append("Diagnostics: ").Append(list.Count).Append('\n');
        foreach (var d in list)
        {
            var span = d.Location.GetLineSpan();
            sb.Append("- ").Append(d.Id).Append(' ').Append(d.Severity).Append(' ');
            sb.Append(d.Location == Location.None ? "(no location)" : $"{span.Path}: ({span.StartLinePosition.Line},{span.StartLinePosition.Character})-({span.EndLinePosition.Line},{span.EndLinePosition.Character})");
            sb.Append('\n').Append("  ").Append(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    internal static string Directory(string sourceFile)
    {
        string? folder = Path.GetDirectoryName(sourceFile);
        if (folder is null || !System.IO.Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The test source folder '{folder}' does not exist; snapshots are found through [CallerFilePath], so build with real source paths (DeterministicSourcePaths=false).");
        }

        return Path.Combine(folder, "Snapshots");
    }

    internal static string Normalize(string text) => text.ReplaceLineEndings("\n");

    /// <summary>
    /// Compares <paramref name="files"/> (names ending in <c>.verified.*</c>) with the snapshot folder.
    /// Verified files of this test that were not produced are reported too.
    /// </summary>
    internal static void VerifyFiles(string folder, string prefix, IReadOnlyList<(string Name, string Text)> files)
    {
        System.IO.Directory.CreateDirectory(folder);
        var problems = new List<string>();
        var expected = new HashSet<string>(files.Select(f => f.Name), StringComparer.Ordinal);

        foreach (var (name, text) in files)
        {
            string verified = Path.Combine(folder, name);
            string received = Path.Combine(folder, name.Replace(".verified.", ".received.", StringComparison.Ordinal));
            string actual = Normalize(text);
            string? existing = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
            if (existing == actual)
            {
                File.Delete(received);
                continue;
            }

            if (Accept)
            {
                File.WriteAllText(verified, actual, new UTF8Encoding(false));
                File.Delete(received);
                continue;
            }

            File.WriteAllText(received, actual, new UTF8Encoding(false));
            problems.Add(existing is null
                ? $"  missing snapshot {name}: wrote {Path.GetFileName(received)}"
                : $"  {name} differs ({FirstDifference(existing, actual)}): wrote {Path.GetFileName(received)}");
        }

        // A verified file for a source this test no longer generates is stale.
        foreach (string path in System.IO.Directory.GetFiles(folder, prefix + "*.verified.*"))
        {
            string name = Path.GetFileName(path);
            bool ours = name.StartsWith(prefix + "#", StringComparison.Ordinal) || name.StartsWith(prefix + ".verified.", StringComparison.Ordinal);
            if (!ours || expected.Contains(name))
            {
                continue;
            }

            if (Accept)
            {
                File.Delete(path);
            }
            else
            {
                problems.Add($"  {name} is verified but was not produced (delete it, or run with {AcceptVariable}=1)");
            }
        }

        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"Snapshot mismatch for {prefix} in {folder}:\n{string.Join("\n", problems)}\n" +
                $"Review the .received. files; if they are right, run the tests with {AcceptVariable}=1 (or rename them to .verified.).");
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string x = i < a.Length ? a[i] : "<end of file>";
            string y = i < b.Length ? b[i] : "<end of file>";
            if (x != y)
            {
                return $"line {i + 1}: expected `{x.Trim()}`, got `{y.Trim()}`";
            }
        }

        return "same lines";
    }
}
