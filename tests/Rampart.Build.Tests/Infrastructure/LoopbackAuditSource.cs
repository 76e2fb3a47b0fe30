using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>
/// One known vulnerability as NuGet's VulnerabilityInfo resource describes it: the advisory's URL, its
/// severity (0 low, 1 moderate, 2 high, 3 critical) and the affected version range in NuGet's range syntax.
/// </summary>
internal sealed record Advisory(string PackageId, int Severity, string Versions, string Url);

/// <summary>
/// A NuGet V3 audit source on a loopback port (Kestrel, port chosen by the OS). Each test registers its own
/// source under a fresh path, so tests can run side by side against one server:
/// <c>/{name}/v3/index.json</c> is the service index; with vulnerability data it lists the
/// <c>VulnerabilityInfo/6.7.0</c> resource, whose index (a JSON array of pages with <c>@name</c>,
/// <c>@id</c> and <c>@updated</c>) points at one page: an object keyed by lower-case package id, each value
/// an array of <c>{ url, severity, versions }</c>.
/// </summary>
internal sealed class LoopbackAuditSource : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> documents = new(StringComparer.Ordinal);
    private int sources;

    private LoopbackAuditSource(WebApplication app)
    {
        this.app = app;
        app.MapGet("/{**path}", (string path) =>
            documents.TryGetValue("/" + path, out var json)
                ? Results.Text(json, "application/json")
                : Results.NotFound());
    }

    public string BaseAddress { get; private set; } = "";

    /// <summary>Every path NuGet asked for, in order (to show the source was consulted).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<LoopbackAuditSource> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var source = new LoopbackAuditSource(builder.Build());
        source.app.Use((context, next) =>
        {
            source.Requests.Enqueue(context.Request.Path.Value ?? "");
            return next(context);
        });
        await source.app.StartAsync();
        source.BaseAddress = source.app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return source;
    }

    /// <summary>Registers a source serving <paramref name="advisories"/>; returns its service index URL.</summary>
    public string AddSource(IEnumerable<Advisory> advisories)
    {
        var root = $"/source{System.Threading.Interlocked.Increment(ref sources)}";
        var vulnerabilityIndex = $"{root}/vulnerabilities/index.json";
        var page = $"{root}/vulnerabilities/base.json";
        documents[$"{root}/v3/index.json"] = ServiceIndex(new JsonObject
        {
            ["@id"] = BaseAddress + vulnerabilityIndex,
            ["@type"] = "VulnerabilityInfo/6.7.0",
        });
        documents[vulnerabilityIndex] = new JsonArray(new JsonObject
        {
            ["@name"] = "base",
            ["@id"] = BaseAddress + page,
            ["@updated"] = "2026-01-01T00:00:00Z",
        }).ToJsonString();

        var byPackage = new JsonObject();
        foreach (var group in advisories.GroupBy(a => a.PackageId.ToLowerInvariant()))
        {
            byPackage[group.Key] = new JsonArray(group
                .Select(a => (JsonNode)new JsonObject { ["url"] = a.Url, ["severity"] = a.Severity, ["versions"] = a.Versions })
                .ToArray());
        }

        documents[page] = byPackage.ToJsonString();
        return BaseAddress + root + "/v3/index.json";
    }

    /// <summary>Registers a source whose service index has no VulnerabilityInfo resource, as the package source reachable here.</summary>
    public string AddSourceWithoutVulnerabilityData()
    {
        var root = $"/source{System.Threading.Interlocked.Increment(ref sources)}";
        documents[$"{root}/v3/index.json"] = ServiceIndex(new JsonObject
        {
            ["@id"] = BaseAddress + root + "/flatcontainer/",
            ["@type"] = "PackageBaseAddress/3.0.0",
        });
        return BaseAddress + root + "/v3/index.json";
    }

    /// <summary>The path of the advisory page behind <paramref name="serviceIndex"/>, as NuGet requests it.</summary>
    public static string PagePathOf(string serviceIndex) =>
        new Uri(serviceIndex).AbsolutePath.Replace("/v3/index.json", "/vulnerabilities/base.json", StringComparison.Ordinal);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private static string ServiceIndex(JsonObject resource) =>
        new JsonObject { ["version"] = "3.0.0", ["resources"] = new JsonArray(resource) }.ToJsonString();
}
