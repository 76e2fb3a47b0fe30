using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Rampart.Build.Tests.Infrastructure;
using Xunit;

namespace Rampart.Build.Tests;

/// <summary>
/// A web project outside the repository with one package reference, <c>Rampart</c> by version from the
/// fresh pack, and one contract: built (the generator and the analyzers come from that one reference), run
/// in Development with an HS256 test key, and kept running for the calls of <see cref="ConsumerTests"/>.
/// </summary>
public sealed class ConsumerApp(RampartPackages packages) : IAsyncLifetime
{
    public const string Issuer = "https://consumer.test/";
    public const string Audience = "consumer-api";
    public const string KeyId = "consumer-test";

    /// <summary>The HS256 secret the app validates with (32 random bytes, this run only).</summary>
    public byte[] Secret { get; } = RandomNumberGenerator.GetBytes(32);

    public string Folder { get; private set; } = "";

    internal CliResult Build { get; private set; } = null!;

    internal RunningApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Folder = packages.NewProjectFolder("Consumer");
        ConsumerProjects.Write(Folder, packages.Version, """
            [SecureEndpoint("POST", "/api/greetings", Permission = "greetings:write")]
            public sealed partial record CreateGreeting
            {
                [StringLength(40, MinimumLength = 1)]
                public required string Name { get; init; }

                static Created<Greeting> Handle(CreateGreeting request, Caller caller) =>
                    TypedResults.Created($"/api/greetings/{Guid.NewGuid()}", new Greeting($"Hello, {request.Name}", caller.Id!));
            }

            public sealed record Greeting(string Message, string From);
            """);
        Build = await DotNetCli.RunAsync(Folder, "build -nodeReuse:false", packages.Environment);
        if (Build.ExitCode != 0)
        {
            throw new InvalidOperationException($"the consumer project did not build: {Build}");
        }

        App = await RunningApp.StartAsync(Folder, "bin/Debug/net10.0/Consumer.dll",
        [
            .. packages.Environment,
            ("ASPNETCORE_ENVIRONMENT", "Development"),
            ("Rampart__Authentication__Issuer", Issuer),
            ("Rampart__Authentication__Audience", Audience),
            ("Rampart__Authentication__Keys__0__Id", KeyId),
            ("Rampart__Authentication__Keys__0__Algorithm", "HS256"),
            ("Rampart__Authentication__Keys__0__Secret", Convert.ToBase64String(Secret)),
        ]);
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

/// <summary>
/// The one-package-reference story, from a user's side: the package carries the runtime, the generator and
/// the analyzers, so a project that names only <c>Rampart</c> gets generated endpoints and compile-time rules.
/// </summary>
[Collection(RampartPackagesCollection.Name)]
public sealed class ConsumerTests(RampartPackages packages, ConsumerApp consumer) : IClassFixture<ConsumerApp>
{
    [Fact]
    public void The_project_got_Rampart_by_version_from_the_fresh_pack_and_its_generator_ran()
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer.Folder, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries");
        Assert.True(libraries.TryGetProperty($"Rampart/{packages.Version}", out _), $"Rampart {packages.Version} is not in the restore graph");
        Assert.True(Directory.Exists(Path.Combine(packages.PackagesFolder, "rampart", packages.Version.ToLowerInvariant())));

        // The package's build/Rampart.props asks for the generated sources on disk; the generator wrote the endpoint.
        var generated = Path.Combine(consumer.Folder, "obj", "Debug", "net10.0", "generated");
        Assert.True(Directory.Exists(generated), $"no generated sources under {generated}");
        Assert.Contains(Directory.EnumerateFiles(generated, "*.cs", SearchOption.AllDirectories), file => File.ReadAllText(file).Contains("MapRampartEndpoints", StringComparison.Ordinal));
        Assert.Contains("0 Warning(s)", consumer.Build.Output);
    }

    [Fact]
    public async Task A_call_without_a_token_is_401()
    {
        using var client = consumer.App.CreateClient();

        var response = await client.PostAsync("/api/greetings", Json("""{"name":"Ada"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_call_with_a_token_holding_the_permission_is_201()
    {
        using var client = ClientWithToken("alice", "greetings:write");

        var response = await client.PostAsync("/api/greetings", Json("""{"name":"Ada"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Hello, Ada", body.RootElement.GetProperty("message").GetString());
        Assert.Equal("alice", body.RootElement.GetProperty("from").GetString());
    }

    [Fact]
    public async Task A_token_without_the_permission_is_403()
    {
        using var client = ClientWithToken("alice", "greetings:read");

        var response = await client.PostAsync("/api/greetings", Json("""{"name":"Ada"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("""{}""")]                                    // the required name is missing
    [InlineData("""{"name":""}""")]                           // shorter than its minimum
    [InlineData("""{"name":"Ada","admin":true}""")]           // a member the contract does not declare
    [InlineData("""{"name":"Ada\""")]                         // not JSON
    public async Task A_bad_body_is_400(string body)
    {
        using var client = ClientWithToken("alice", "greetings:write");

        var response = await client.PostAsync("/api/greetings", Json(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private HttpClient ClientWithToken(string subject, string scope)
    {
        var client = consumer.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Hs256Token(subject, scope));
        return client;
    }

    // Signed here, not by Rampart: an RFC 9068 access token as any issuer would send it.
    private string Hs256Token(string subject, string scope)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "at+jwt", kid = ConsumerApp.KeyId }));
        string payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = ConsumerApp.Issuer,
            aud = ConsumerApp.Audience,
            sub = subject,
            scope,
            jti = Guid.NewGuid().ToString("N"),
            iat = now,
            nbf = now,
            exp = now + 600,
        }));
        string signature = Base64Url(HMACSHA256.HashData(consumer.Secret, Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

/// <summary>
/// Builds of consumer projects that only need to compile: the compile-time rules arrive with the one
/// reference, and the companion packages resolve beside Rampart at the same version.
/// </summary>
[Collection(RampartPackagesCollection.Name)]
public sealed class ConsumerBuildTests(RampartPackages packages)
{
    [Fact]
    public async Task A_contract_without_an_access_rule_fails_the_build_with_RAMP0013()
    {
        string folder = packages.NewProjectFolder("NoAccessRule");
        ConsumerProjects.Write(folder, packages.Version, Ping(""));

        var build = await DotNetCli.RunAsync(folder, "build -nodeReuse:false", packages.Environment);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Matches(@"Contracts\.cs\(\d+,\d+\): error RAMP0013: .*'Ping'", build.Output);
        // The only error: the project is otherwise sound, so the rule alone fails the build.
        Assert.Equal(["RAMP0013"], Regex.Matches(build.Output, @": error (\w+):").Select(m => m.Groups[1].Value).Distinct());
    }

    [Theory]
    [MemberData(nameof(CompanionPackages))]
    public async Task A_companion_package_builds_beside_Rampart_at_the_same_version(string packageId)
    {
        string folder = packages.NewProjectFolder("With" + packageId.Replace(".", "", StringComparison.Ordinal));
        ConsumerProjects.Write(folder, packages.Version, Ping(", AllowAnonymous = true"), packageId);

        var build = await DotNetCli.RunAsync(folder, "build -nodeReuse:false", packages.Environment);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("0 Warning(s)", build.Output);
    }

    public static TheoryData<string> CompanionPackages() => [.. RampartPackages.Libraries.Skip(1).Select(library => library.Id)];

    // A contract that is sound whatever its access rule: the text after the route, empty for none.
    private static string Ping(string accessRule) => $$"""
        [SecureEndpoint("GET", "/ping"{{accessRule}})]
        public sealed partial record Ping
        {
            static Pong Handle() => new("pong");
        }

        public sealed record Pong(string Answer);
        """;
}

/// <summary>The files of a consumer web project: a project file naming Rampart (and any companion package) by version, a Program.cs and one file of contracts.</summary>
internal static class ConsumerProjects
{
    public static void Write(string folder, string version, string contracts, params string[] companions)
    {
        var references = string.Concat(new[] { "Rampart" }.Concat(companions)
            .Select(id => $"""    <PackageReference Include="{id}" Version="{version}" />{Environment.NewLine}"""));
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            var builder = WebApplication.CreateBuilder(args);
            builder.AddRampart();
            builder.AddRampartAuthentication();
            var app = builder.Build();
            app.UseRampart();
            app.UseRampartAuthentication();
            app.MapRampartEndpoints();
            app.Run();
            """);
        File.WriteAllText(Path.Combine(folder, "Contracts.cs"), $"""
            using System.ComponentModel.DataAnnotations;
            using Microsoft.AspNetCore.Http.HttpResults;
            using Rampart;

            namespace Consumer;

            {contracts}
            """);
    }
}
