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
