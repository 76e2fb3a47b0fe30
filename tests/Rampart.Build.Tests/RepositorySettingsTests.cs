using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using Rampart.Build.Tests.Infrastructure;
using Xunit;

namespace Rampart.Build.Tests;

/// <summary>
/// The repository's own NuGet configuration: where packages may come from, that an audit source is named,
/// and that every project has a lock file (CI restores in locked mode, so a project without one fails there).
/// </summary>
public sealed class RepositorySettingsTests
{
    private static readonly XElement NuGetConfig = XElement.Load(Repository.PathOf("nuget.config"));

    [Fact]
    public void Package_sources_are_cleared_and_every_source_is_mapped()
    {
        var sources = NuGetConfig.Element("packageSources")!;
        Assert.NotNull(sources.Element("clear"));
        var keys = sources.Elements("add").Select(a => (string)a.Attribute("key")!).ToArray();
        Assert.NotEmpty(keys);

        var mapping = NuGetConfig.Element("packageSourceMapping")!;
        Assert.NotNull(mapping.Element("clear"));
        var mapped = mapping.Elements("packageSource").ToDictionary(s => (string)s.Attribute("key")!, s => s.Elements("package").Count());
        Assert.Equal(keys.Order(), mapped.Keys.Order());
        Assert.All(mapped, source => Assert.True(source.Value > 0, $"source '{source.Key}' maps no package pattern"));
    }

    [Fact]
    public void An_audit_source_is_named_so_missing_vulnerability_data_is_reported()
    {
        // Without auditSources NuGet audits against the package sources and says nothing when none of them
        // serves vulnerability data; with one named, that case is warning NU1905.
        var audit = NuGetConfig.Element("auditSources")!;
        Assert.NotNull(audit.Element("clear"));
        Assert.NotEmpty(audit.Elements("add"));
    }

    [Fact]
    public void Every_project_has_a_lock_file()
    {
        // A dotnet new template's projects are not restored here: they become projects where a user creates them.
        var projects = Directory.EnumerateFiles(Repository.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .Where(p => !IsTemplateContent(p))
            .ToArray();
        Assert.NotEmpty(projects);

        var missing = projects
            .Where(p => !File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "packages.lock.json")))
            .Select(p => Path.GetRelativePath(Repository.Root, p))
            .ToArray();
        Assert.True(missing.Length == 0, "no packages.lock.json beside: " + string.Join(", ", missing) + " (run dotnet restore on it and commit the lock file)");
    }

    private static bool IsTemplateContent(string path)
    {
        for (var folder = Path.GetDirectoryName(path); folder is not null && folder.Length > Repository.Root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(Path.Combine(folder, ".template.config")))
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void Every_npm_package_is_pinned_to_the_registry_with_a_sha512_hash()
    {
        // npm ci installs exactly these and checks each hash. An entry without "resolved" comes from the
        // configured registry; a git, file or tarball URL (or a link) would bypass the registry and the hash.
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("tests/oauth-interop/package-lock.json")));
        var packages = lockFile.RootElement.GetProperty("packages").EnumerateObject().Where(p => p.Name.Length > 0).ToArray();
        Assert.NotEmpty(packages);
        Assert.All(packages, package =>
        {
            if (package.Value.TryGetProperty("resolved", out var resolved))
            {
                Assert.StartsWith("https://registry.npmjs.org/", resolved.GetString());
            }

            Assert.False(package.Value.TryGetProperty("link", out _), $"{package.Name} is a link");
            Assert.StartsWith("sha512-", package.Value.GetProperty("integrity").GetString());
        });
    }
}
