using System;
using System.IO;
using System.Security;
using System.Threading.Tasks;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>
/// A one-project folder outside the repository laid out like the repository: its Directory.Build.props
/// imports the repository's own, so restore runs with exactly the NuGet settings every Rampart project gets,
/// and its Directory.Packages.props names the one package version under test. Its nuget.config has only the
/// local feed and, when given, an audit source; its packages folder and HTTP cache are its own, so nothing
/// from the machine's caches takes part.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    private readonly TempFolder folder = new("rampart-consumer-");

    public ConsumerProject(string feedFolder, string? auditSource, bool importRepositorySettings = true)
    {
        var audit = auditSource is null
            ? ""
            : $"""<auditSources><clear /><add key="loopback" value="{Escape(auditSource)}" allowInsecureConnections="true" /></auditSources>""";
        File.WriteAllText(folder.Combine("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{Escape(feedFolder)}" /></packageSources>
              {audit}
            </configuration>
            """);
        File.WriteAllText(folder.Combine("Directory.Build.props"), importRepositorySettings
            ? $"""<Project><Import Project="{Escape(Repository.PathOf("Directory.Build.props"))}" /></Project>"""
            : """<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup></Project>""");
        File.WriteAllText(folder.Combine("Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="$(ProbePackage)" />
              </ItemGroup>
            </Project>
            """);
    }

    public string LockFile => folder.Combine("packages.lock.json");

    /// <summary>Restores with <paramref name="packageId"/> <paramref name="version"/> as the one reference.</summary>
    public Task<CliResult> RestoreAsync(string packageId, string version, params (string Name, string? Value)[] environment)
    {
        File.WriteAllText(folder.Combine("Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup><ProbePackage>{Escape(packageId)}</ProbePackage></PropertyGroup>
              <ItemGroup><PackageVersion Include="{Escape(packageId)}" Version="{Escape(version)}" /></ItemGroup>
            </Project>
            """);
        (string, string?)[] isolation =
        [
            ("NUGET_PACKAGES", folder.Combine("packages")),
            ("NUGET_HTTP_CACHE_PATH", folder.Combine("http-cache")),
            // Decided per test, not inherited from the machine running the tests.
            ("CI", null),
            ("RampartRequireAuditData", null),
        ];
        return DotNetCli.RunAsync(folder.Path, "restore Consumer.csproj -nodeReuse:false", [.. isolation, .. environment]);
    }

    public void Dispose() => folder.Dispose();

    private static string Escape(string text) => SecurityElement.Escape(text);
}
