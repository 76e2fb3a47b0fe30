using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>
/// Interoperability with code no one here wrote: tests/oauth-interop/interop.mjs drives both flows and refresh
/// with the npm package oauth4webapi, which also validates the access tokens as RFC 9068 JWTs.
/// </summary>
public sealed class InteropTests(OAuthServers servers)
{
    [Fact]
    public async Task Oauth4webapi_completes_client_credentials_code_with_pkce_and_refresh()
    {
        string folder = Path.GetFullPath(OAuthServers.Metadata("InteropFolder"));
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oauth4webapi")))
        {
            throw new InvalidOperationException($"oauth4webapi is not installed in {folder}: run .ci/setup-oauth.sh (npm ci there).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("interop.mjs");
        start.Environment["ISSUER"] = servers.Issuer;
        start.Environment["API"] = servers.Api.ToString();
        start.Environment["WORKER_ID"] = "orders-worker";
        start.Environment["WORKER_SECRET"] = servers.WorkerSecret;
        start.Environment["WEB_ID"] = "orders-web";
        start.Environment["WEB_SECRET"] = servers.WebSecret;
        start.Environment["WEB_REDIRECT"] = OAuthServers.WebRedirectUri;
        start.Environment["SPA_ID"] = "orders-spa";
        start.Environment["SPA_REDIRECT"] = OAuthServers.SpaRedirectUri;
        start.Environment["USERNAME"] = OAuthServers.UserName;
        start.Environment["PASSWORD"] = servers.Password;

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await node.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        string log = await output + await errors;
        Assert.True(node.ExitCode == 0, log);
        Assert.Contains("ok - code + PKCE: RFC 9068 access token validated by oauth4webapi", log, StringComparison.Ordinal);
        Assert.Contains("ok - client credentials: Orders API answers 200", log, StringComparison.Ordinal);
        Assert.Contains("ok - refresh: the used refresh token is refused (invalid_grant)", log, StringComparison.Ordinal);
        Assert.Contains("ok - public client: Orders API answers 200", log, StringComparison.Ordinal);
        Assert.EndsWith("interop: all checks passed", log.TrimEnd(), StringComparison.Ordinal);
    }
}
