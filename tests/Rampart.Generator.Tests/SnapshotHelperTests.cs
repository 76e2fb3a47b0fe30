using System;
using System.IO;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>The in-repo snapshot helper fails when it should: missing, different and stale snapshots.</summary>
public sealed class SnapshotHelperTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rampart-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Verify(params (string Name, string Text)[] files) => Snapshot.VerifyFiles(_folder, "T.M", files);

    [Fact]
    public void MissingSnapshotFailsAndWritesReceived()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1", "accept mode writes verified files");
        var ex = Assert.ThrowsAny<Exception>(() => Verify(("T.M#A.g.cs.verified.cs", "//HintName: A.g.cs\nclass A {}\n")));
        Assert.Contains("missing snapshot T.M#A.g.cs.verified.cs", ex.Message, StringComparison.Ordinal);
        Assert.Equal("//HintName: A.g.cs\nclass A {}\n", File.ReadAllText(Path.Combine(_folder, "T.M#A.g.cs.received.cs")));
    }

    [Fact]
    public void MatchingSnapshotPassesIgnoringLineEndingsAndRemovesReceived()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "T.M#A.g.cs.verified.cs"), "//HintName: A.g.cs\r\nclass A {}\r\n");
        File.WriteAllText(Path.Combine(_folder, "T.M#A.g.cs.received.cs"), "old");
        Verify(("T.M#A.g.cs.verified.cs", "//HintName: A.g.cs\nclass A {}\n"));
        Assert.False(File.Exists(Path.Combine(_folder, "T.M#A.g.cs.received.cs")));
    }

    [Fact]
    public void DifferentSnapshotFailsNamingTheFirstDifferentLine()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1", "accept mode overwrites verified files");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "T.M.verified.txt"), "Diagnostics: 0\n");
        var ex = Assert.ThrowsAny<Exception>(() => Verify(("T.M.verified.txt", "Diagnostics: 1\n")));
        Assert.Contains("line 1: expected `Diagnostics: 0`, got `Diagnostics: 1`", ex.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "T.M.received.txt")));
    }

    [Fact]
    public void StaleVerifiedFileOfTheSameTestFails()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1", "accept mode deletes stale files");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "T.M#Gone.g.cs.verified.cs"), "x");
        File.WriteAllText(Path.Combine(_folder, "T.Mother#B.g.cs.verified.cs"), "another test's file");
        File.WriteAllText(Path.Combine(_folder, "T.M.verified.txt"), "Diagnostics: 0\n");
        var ex = Assert.ThrowsAny<Exception>(() => Verify(("T.M.verified.txt", "Diagnostics: 0\n")));
        Assert.Contains("T.M#Gone.g.cs.verified.cs is verified but was not produced", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("T.Mother", ex.Message, StringComparison.Ordinal);
    }
}
