using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using Rampart.Build.Tests.Infrastructure;
using Xunit;

namespace Rampart.Build.Tests;

/// <summary>
/// <c>dotnet new rampart-api</c> as a user runs it: the template package installed into a template hive of
/// this run only (<c>--debug:custom-hive</c>), a solution generated outside the repository with the template's
/// defaults, and built against the freshly packed Rampart.
/// </summary>
public sealed class GeneratedApi(RampartPackages packages) : IAsyncLifetime
{
    public string Folder { get; private set; } = "";

    internal CliResult Install { get; private set; } = null!;

    internal CliResult Build { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        string hive = packages.NewProjectFolder("template-hive");
        Install = await DotNetCli.RunAsync(packages.Workspace,
            $"new install \"{packages.PackagePath(RampartPackages.Templates.Id)}\" --debug:custom-hive \"{hive}\"", packages.Environment);
        Folder = Path.Combine(packages.Workspace, "MyApi");
        // No update check: the package of this run is the newest there is.
        var created = await DotNetCli.RunAsync(packages.Workspace,
            $"new rampart-api -o \"{Folder}\" --no-update-check --debug:custom-hive \"{hive}\"", packages.Environment);
        if (created.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet new rampart-api failed: {Install}\n{created}");
        }

        Build = await DotNetCli.RunAsync(Folder, "build -nodeReuse:false", packages.Environment);
        if (Build.ExitCode != 0)
        {
            throw new InvalidOperationException($"the generated solution did not build: {Build}");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The <c>rampart-api</c> template: what it generates builds, passes its own tests and serves a secured API.</summary>
[Collection(RampartPackagesCollection.Name)]
public sealed partial class TemplateTests(RampartPackages packages, GeneratedApi api) : IClassFixture<GeneratedApi>
{
    [Fact]
    public void The_template_is_installed_under_its_short_name()
    {
        Assert.True(api.Install.ExitCode == 0, api.Install.ToString());
        Assert.Contains("rampart-api", api.Install.Output);
    }

    [Fact]
    public void The_solution_references_the_Rampart_version_the_template_was_packed_with_and_builds_without_warnings()
    {
        var project = XElement.Load(Path.Combine(api.Folder, "src", "MyApi", "MyApi.csproj"));
        var rampart = project.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Rampart");
        Assert.Equal(packages.Version, (string?)rampart.Attribute("Version"));
        Assert.Contains("0 Warning(s)", api.Build.Output);
    }

    [Fact]
    public async Task Its_own_tests_pass()
    {
        // The README's test command, in the solution's folder.
        var test = await DotNetCli.RunAsync(api.Folder, "test -nodeReuse:false", packages.Environment);

        Assert.True(test.ExitCode == 0, test.ToString());
        var summary = TestSummary().Match(test.Output);
        Assert.True(summary.Success, test.ToString());
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, test.ToString());
    }

    [Fact]
    public async Task The_running_api_refuses_an_anonymous_call_and_accepts_a_token_from_its_token_command()
    {
        // The README's commands: the token command (quiet, so its output is the token alone), then the API itself.
        var token = await DotNetCli.RunAsync(api.Folder, "run -v q --project src/MyApi -- token alice notes:write", packages.Environment);
        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", token.StandardOutput.Trim());

        await using var app = await RunningApp.StartAsync(api.Folder, "run --no-build --project src/MyApi --", packages.Environment);
        using var anonymous = app.CreateClient();
        var refused = await anonymous.PostAsync("/api/notes", Json("""{"title":"Hello"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.StandardOutput.Trim());
        var created = await client.PostAsync("/api/notes", Json("""{"title":"Hello"}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("Hosting environment: Development", app.Output);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();
}

/// <summary>The template's sources in the repository.</summary>
public sealed class TemplateSourceTests
{
    private static readonly string Content = Repository.PathOf("templates/Rampart.Templates/content/RampartApi");

    [Fact]
    public void The_template_uses_the_package_versions_the_repository_tests_with()
    {
        // The generated test project restores what the repository already restored and tested with.
        var versions = XElement.Load(Repository.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        var references = Directory.EnumerateFiles(Content, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(project => XElement.Load(project).Descendants("PackageReference"))
            .Where(reference => (string?)reference.Attribute("Include") != "Rampart")
            .ToArray();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
            Assert.Equal(versions[(string)reference.Attribute("Include")!], (string?)reference.Attribute("Version")));
    }
}
