using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using Rampart.Build.Tests.Infrastructure;
using Xunit;

namespace Rampart.Build.Tests;

/// <summary>What <c>dotnet pack</c> makes of the shipped projects.</summary>
[Collection(RampartPackagesCollection.Name)]
public sealed class PackageTests(RampartPackages packages)
{
    [Fact]
    public void Packing_reports_no_warning()
    {
        // NU1905 (the audit source served no vulnerability data) depends on the machine's package source, not on the packages.
        Assert.NotEmpty(packages.Packs);
        Assert.All(packages.Packs, pack =>
            Assert.DoesNotMatch(new Regex(@"warning (?!NU1905)\w+"), pack.Output));
    }

    [Fact]
    public void The_Rampart_package_carries_the_runtime_the_generator_and_its_readme()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("Rampart"));
        var entries = package.Entries.Select(entry => entry.FullName).ToArray();

        Assert.Contains("lib/net10.0/Rampart.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Rampart.Generator.dll", entries);
        Assert.Contains("build/Rampart.props", entries);
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void The_Rampart_package_does_not_bring_Npgsql()
    {
        // A user on SQLite must not carry the PostgreSQL driver: it comes with Rampart.PostgreSql only.
        Assert.DoesNotContain("Npgsql", Nuspec("Rampart"), System.StringComparison.OrdinalIgnoreCase);
        Assert.Contains("id=\"Npgsql\"", Nuspec("Rampart.PostgreSql"), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rampart.Redis")]
    [InlineData("Rampart.PostgreSql")]
    public void A_companion_package_brings_Rampart_with_its_generator(string id)
    {
        // NuGet excludes build and analyzer assets of a project-reference dependency by default; a user who references only
        // a companion package must still get the generator, or their contracts silently map nothing.
        var dependency = Regex.Match(Nuspec(id), "<dependency id=\"Rampart\"[^>]*>");
        Assert.True(dependency.Success, "no dependency on Rampart in " + id);
        Assert.DoesNotContain("exclude=", dependency.Value, System.StringComparison.Ordinal);
    }

    private string Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(packages.PackagePath(id));
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", System.StringComparison.Ordinal));
        using var reader = new System.IO.StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void The_template_package_carries_the_template_and_no_build_output()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath(RampartPackages.Templates.Id));
        var entries = package.Entries.Select(entry => entry.FullName).ToArray();

        Assert.Contains("content/RampartApi/.template.config/template.json", entries);
        Assert.Contains("content/RampartApi/src/RampartApi/RampartApi.csproj", entries);
        Assert.Contains("content/RampartApi/tests/RampartApi.Tests/RampartApi.Tests.csproj", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/", System.StringComparison.Ordinal)
            || entry.Contains("/bin/", System.StringComparison.Ordinal) || entry.Contains("/obj/", System.StringComparison.Ordinal));
    }
}
