using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>
/// A folder package source holding tiny packages: a .nupkg is a zip whose one required entry is the nuspec,
/// which is all restore reads. Nothing is built, so a test needs no network and no pack step.
/// </summary>
internal sealed class LocalPackageFeed
{
    public LocalPackageFeed(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public string Folder { get; }

    /// <summary>Writes package <paramref name="id"/> <paramref name="version"/> depending on <paramref name="dependencies"/> (id, version).</summary>
    public void Add(string id, string version, params (string Id, string Version)[] dependencies)
    {
        var dependencyXml = dependencies.Length == 0
            ? ""
            : "<dependencies><group targetFramework=\"net10.0\">"
              + string.Concat(dependencies.Select(d => $"<dependency id=\"{Escape(d.Id)}\" version=\"{Escape(d.Version)}\" />"))
              + "</group></dependencies>";
        var nuspec = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{Escape(id)}</id>
                <version>{Escape(version)}</version>
                <authors>Rampart tests</authors>
                <description>A probe package for the NuGet audit tests.</description>
                {dependencyXml}
              </metadata>
            </package>
            """;

        using var archive = ZipFile.Open(Path.Combine(Folder, $"{id}.{version}.nupkg"), ZipArchiveMode.Create);
        using var writer = new StreamWriter(archive.CreateEntry($"{id}.nuspec").Open());
        writer.Write(nuspec);
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
