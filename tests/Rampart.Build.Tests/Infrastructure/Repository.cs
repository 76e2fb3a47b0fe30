using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = BuildProperty("RepositoryRoot");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>A property of the build that made this test assembly (an AssemblyMetadata item of the project file).</summary>
    public static string BuildProperty(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>A folder under the system temp directory, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the temp directory is cleaned by the OS.
        }
    }
}
