using System;
using System.Linq;
using Rampart.Data;
using Xunit;

namespace Rampart.Tests.Unit;

/// <summary>What the core package carries: an application on SQLite does not load Npgsql.</summary>
public sealed class PackageDependencyTests
{
    [Fact]
    public void The_runtime_references_no_PostgreSQL_driver()
    {
        var references = typeof(RampartDatabase).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.Contains("Microsoft.Data.Sqlite", references);
        Assert.DoesNotContain(references, name => name!.StartsWith("Npgsql", StringComparison.Ordinal));
    }
}
