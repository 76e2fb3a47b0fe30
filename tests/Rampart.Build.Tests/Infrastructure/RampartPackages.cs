using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>
/// Rampart's packages as a user gets them, packed once for the whole collection: <c>dotnet pack -c Release</c>
/// of each shipped project into a local folder, under a version no earlier run used
/// (<c>0.1.0-test.&lt;time&gt;</c>), with a workspace outside the repository whose nuget.config takes
/// Rampart* from that folder and everything else from the repository's own package sources. Projects made
/// in the workspace restore into a packages folder of this run, so no cached Rampart can stand in for the
/// fresh pack; third-party packages the repository already restored are read, not downloaded again, from the
/// machine's packages folder (a read-only fallback folder).
/// </summary>
public sealed class RampartPackages : IAsyncLifetime
{
    /// <summary>The library packages (id, project): Rampart first. Add <c>("Rampart.PostgreSql", "src/PostgreSql/Rampart.PostgreSql.csproj")</c> once it exists.</summary>
    internal static readonly (string Id, string Project)[] Libraries =
    [
        ("Rampart", "src/Runtime/Rampart.csproj"),
        ("Rampart.Redis", "src/Redis/Rampart.Redis.csproj"),
        ("Rampart.PostgreSql", "src/PostgreSql/Rampart.PostgreSql.csproj"),
    ];

    /// <summary>The <c>dotnet new</c> template package.</summary>
    internal static readonly (string Id, string Project) Templates = ("Rampart.Templates", "templates/Rampart.Templates/Rampart.Templates.csproj");

    private readonly TempFolder folder = new("rampart-packages-");
    private readonly List<CliResult> packs = [];

    public RampartPackages()
    {
        // Semantic versioning: a pre-release of the version the repository builds, newer than any earlier run's.
        string baseVersion = Repository.BuildProperty("RampartVersion");
        string suffix = "test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Version = baseVersion + (baseVersion.Contains('-', StringComparison.Ordinal) ? "." : "-") + suffix;
        Feed = folder.Combine("feed");
        Workspace = folder.Combine("workspace");
        PackagesFolder = folder.Combine("packages");
    }

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; }

    /// <summary>The local folder source holding the packed .nupkg files.</summary>
    public string Feed { get; }

    /// <summary>A folder outside the repository whose nuget.config every project made under it uses.</summary>
    public string Workspace { get; }

    /// <summary>The NuGet packages folder (NUGET_PACKAGES) of this run.</summary>
    public string PackagesFolder { get; }

    /// <summary>What each <c>dotnet pack</c> said.</summary>
    internal IReadOnlyList<CliResult> Packs => packs;

    /// <summary>Variables for every dotnet command run in the workspace.</summary>
    internal (string Name, string? Value)[] Environment =>
    [
        ("NUGET_PACKAGES", PackagesFolder),
        // The projects made here are a user's, not the repository's: the test run's CI setting is not theirs.
        ("CI", null),
    ];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Workspace);
        foreach (var (id, project) in Libraries.Append(Templates))
        {
            // Under the test command the solution is still building while this runs, and its projects share
            // obj/project.assets.json with this pack. So restore as the solution did (a no-op once it has)
            // and pack without restoring: a restore under another PackageVersion would rewrite that file.
            var restore = await DotNetCli.RunAsync(Repository.Root, $"restore {project} -nodeReuse:false");
            var result = restore.ExitCode != 0
                ? restore
                : await DotNetCli.RunAsync(Repository.Root, $"pack {project} --no-restore -c Release -o \"{Feed}\" -p:PackageVersion={Version} -nodeReuse:false");
            packs.Add(result);
            if (result.ExitCode != 0 || !File.Exists(PackagePath(id)))
            {
                throw new InvalidOperationException($"dotnet restore and pack {project} did not produce {PackagePath(id)}: {result}");
            }
        }

        WriteWorkspace();
    }

    /// <summary>The packed .nupkg of <paramref name="id"/>.</summary>
    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>A new empty folder in the workspace.</summary>
    public string NewProjectFolder(string name)
    {
        string path = Path.Combine(Workspace, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteWorkspace()
    {
        // MSBuild looks for these files in every folder above a project: empty ones here keep whatever the
        // temporary folder's parents hold out of the consumers' builds.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(Workspace, file), "<Project />");
        }

        // The repository's sources and their mapping, plus the local folder for Rampart* (the more specific
        // pattern wins, so Rampart packages can only come from the fresh pack).
        var repository = XElement.Load(Repository.PathOf("nuget.config"));
        var sources = repository.Element("packageSources")!.Elements("add").Select(add => new XElement(add));
        var mappings = repository.Element("packageSourceMapping")?.Elements("packageSource").Select(source => new XElement(source)) ?? [];
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "rampart-local"), new XAttribute("value", Feed)),
                sources),
            new XElement("packageSourceMapping",
                new XElement("clear"),
                new XElement("packageSource", new XAttribute("key", "rampart-local"),
                    new XElement("package", new XAttribute("pattern", "Rampart")),
                    new XElement("package", new XAttribute("pattern", "Rampart.*"))),
                mappings),
            new XElement("fallbackPackageFolders",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", Repository.BuildProperty("NuGetPackageRoot")))));
        new XDocument(config).Save(Path.Combine(Workspace, "nuget.config"));
    }
}

/// <summary>The tests that use the packed packages; they run one after another (they build, and share the workspace).</summary>
[CollectionDefinition(Name)]
public sealed class RampartPackagesCollection : ICollectionFixture<RampartPackages>
{
    public const string Name = "Rampart packages";
}
