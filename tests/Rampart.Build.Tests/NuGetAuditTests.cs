using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rampart.Build.Tests.Infrastructure;
using Xunit;

namespace Rampart.Build.Tests;

/// <summary>The loopback audit source and the probe packages, shared by the tests of one class.</summary>
public sealed class AuditFixture : IAsyncLifetime
{
    public const string Library = "AuditProbe.Library";
    public const string Framework = "AuditProbe.Framework";

    private readonly TempFolder folder = new("rampart-feed-");

    internal LoopbackAuditSource Source { get; private set; } = null!;

    internal LocalPackageFeed Feed { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Feed = new LocalPackageFeed(folder.Combine("feed"));
        Feed.Add(Library, "1.0.0");
        Feed.Add(Library, "1.0.1");
        // Brings the advised library in transitively: the consumer never names it.
        Feed.Add(Framework, "2.0.0", (Library, "1.0.0"));
        Source = await LoopbackAuditSource.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        folder.Dispose();
    }
}

/// <summary>
/// The NuGet audit settings of Directory.Build.props and nuget.config, proven offline: the package source
/// reachable from this machine serves no vulnerability data, so a loopback source plays nuget.org's
/// VulnerabilityInfo resource with one advisory for a probe package, and a real <c>dotnet restore</c>
/// decides.
/// </summary>
public sealed class NuGetAuditTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    private const string AdvisoryUrl = "https://advisories.invalid/GHSA-rmpt-test-0001";

    [Theory]
    [InlineData(0, "NU1901", "low")]
    [InlineData(1, "NU1902", "moderate")]
    [InlineData(2, "NU1903", "high")]
    [InlineData(3, "NU1904", "critical")]
    public async Task An_advised_version_fails_the_restore_at_every_severity(int severity, string code, string severityName)
    {
        var source = fixture.Source.AddSource([new Advisory(AuditFixture.Library, severity, "[1.0.0, 1.0.1)", AdvisoryUrl)]);
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source);

        var result = await consumer.RestoreAsync(AuditFixture.Library, "1.0.0");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(
            $"error {code}: Warning As Error: Package '{AuditFixture.Library}' 1.0.0 has a known {severityName} severity vulnerability, {AdvisoryUrl}",
            result.Output);
    }

    [Fact]
    public async Task A_version_outside_the_advised_range_restores()
    {
        var source = fixture.Source.AddSource([new Advisory(AuditFixture.Library, 2, "[1.0.0, 1.0.1)", AdvisoryUrl)]);
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source);

        var result = await consumer.RestoreAsync(AuditFixture.Library, "1.0.1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("NU190", result.Output);
        // The advisory page was read, so the pass is the audit's verdict, not a skipped audit.
        Assert.Contains(LoopbackAuditSource.PagePathOf(source), fixture.Source.Requests);
    }

    [Fact]
    public async Task The_same_version_restores_when_the_source_has_no_advisory_for_it()
    {
        var source = fixture.Source.AddSource([]);
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source);

        var result = await consumer.RestoreAsync(AuditFixture.Library, "1.0.0");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("NU190", result.Output);
    }

    [Fact]
    public async Task A_transitive_advised_package_fails_the_restore()
    {
        var source = fixture.Source.AddSource([new Advisory(AuditFixture.Library, 2, "[1.0.0, 1.0.1)", AdvisoryUrl)]);
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source);

        var result = await consumer.RestoreAsync(AuditFixture.Framework, "2.0.0");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"error NU1903: Warning As Error: Package '{AuditFixture.Library}' 1.0.0 has a known high severity vulnerability", result.Output);
    }

    [Fact]
    public async Task Without_the_repository_settings_the_same_advisory_is_only_a_warning()
    {
        // The control for the tests above: NuGet's defaults report the advisory but let the restore pass,
        // so the failures above come from the repository's settings.
        var source = fixture.Source.AddSource([new Advisory(AuditFixture.Library, 2, "[1.0.0, 1.0.1)", AdvisoryUrl)]);
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source, importRepositorySettings: false);

        var result = await consumer.RestoreAsync(AuditFixture.Library, "1.0.0");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning NU1903", result.Output);
    }

    [Theory]
    [InlineData(false, "warning NU1905: Audit source 'loopback' did not provide any vulnerability data.")]
    [InlineData(true, "error NU1905: Warning As Error: Audit source 'loopback' did not provide any vulnerability data.")]
    public async Task A_source_without_vulnerability_data_is_reported_not_passed_in_silence(bool requireAuditData, string expected)
    {
        var source = fixture.Source.AddSourceWithoutVulnerabilityData();
        using var consumer = new ConsumerProject(fixture.Feed.Folder, source);

        var result = await consumer.RestoreAsync(AuditFixture.Library, "1.0.0", ("RampartRequireAuditData", requireAuditData ? "true" : null));

        // A warning lets a machine without the data build; RampartRequireAuditData=true fails the restore.
        Assert.True((result.ExitCode == 0) != requireAuditData, result.ToString());
        Assert.Contains(expected, result.Output);
    }

    [Fact]
    public async Task In_ci_a_restore_that_would_change_the_lock_file_fails()
    {
        using var consumer = new ConsumerProject(fixture.Feed.Folder, fixture.Source.AddSource([]));
        var first = await consumer.RestoreAsync(AuditFixture.Library, "1.0.1");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("\"resolved\": \"1.0.1\"", File.ReadAllText(consumer.LockFile));

        var unchanged = await consumer.RestoreAsync(AuditFixture.Library, "1.0.1", ("CI", "true"));
        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());

        var changed = await consumer.RestoreAsync(AuditFixture.Library, "1.0.0", ("CI", "true"));

        Assert.True(changed.ExitCode != 0, changed.ToString());
        Assert.Contains("error NU1004", changed.Output);
        Assert.Contains("\"resolved\": \"1.0.1\"", File.ReadAllText(consumer.LockFile));
    }
}
