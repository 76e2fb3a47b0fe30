using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Diagnostics;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>docs/diagnostics.md has a section for every catalogue id, at the anchor its help link names.</summary>
public sealed class DiagnosticsDocTests
{
    private static string ReadDoc([CallerFilePath] string here = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(here)!); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "docs", "diagnostics.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path).ReplaceLineEndings("\n");
            }
        }

        throw new FileNotFoundException("docs/diagnostics.md not found above " + here);
    }

    public static TheoryData<string> Ids => new(DiagnosticCatalogue.All.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdHasASectionAtItsHelpLinkAnchor(string id)
    {
        var descriptor = DiagnosticCatalogue.Get(id);
        string doc = ReadDoc();
        string anchor = descriptor.HelpLinkUri.Substring(descriptor.HelpLinkUri.IndexOf('#', StringComparison.Ordinal) + 1);
        Assert.Equal(id.ToLowerInvariant(), anchor);

        string title = descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string heading = $"<a id=\"{anchor}\"></a>\n## {id}: {title}\n";
        int start = doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"missing section heading:\n{heading}");

        int next = doc.IndexOf("\n<a id=\"ramp", start + heading.Length, StringComparison.Ordinal);
        string section = next < 0 ? doc.Substring(start) : doc.Substring(start, next - start);
        string severity = descriptor.DefaultSeverity == DiagnosticSeverity.Warning ? "Warning" : "Error";
        Assert.Contains($"**Severity:** {severity}.", section, StringComparison.Ordinal);
        Assert.Contains("**Triggers when**", section, StringComparison.Ordinal);
        Assert.Contains("**Fix:**", section, StringComparison.Ordinal);
        Assert.Contains("```csharp", section, StringComparison.Ordinal);
        Assert.Contains($"| [{id}](#{anchor}) | {severity} | {title} |", doc, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentsNoIdOutsideTheCatalogue()
    {
        var documented = Regex.Matches(ReadDoc(), "^## (RAMP[0-9]{4}):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(DiagnosticCatalogue.All.Select(d => d.Id), documented);
    }
}
