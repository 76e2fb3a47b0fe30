using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Identity;
using Xunit;

[assembly: AssemblyFixture(typeof(Orders.OAuth.Tests.OAuthServers))]

namespace Orders.OAuth.Tests;

/// <summary>
/// The authorization server and the Orders API, started once for all tests as real Kestrel servers in child
/// processes. Every secret (signing key, client secrets, the user's password) is generated here for this run
/// and given to the servers through environment variables: nothing from the committed development settings.
/// The Orders API is configured only through configuration: issuer, audience and the auth server's public key.
/// </summary>
public sealed class OAuthServers : IAsyncLifetime
{
    public const string CallbackOrigin = "http://127.0.0.1:8765";
    public const string WebRedirectUri = CallbackOrigin + "/callback";
    public const string SpaRedirectUri = CallbackOrigin + "/spa/callback";
    public const string UserName = "alice";
    public const string AdminUserName = "carol";

    /// <summary>A confidential client whose id is alice's subject: its client-credentials tokens must not make it alice.</summary>
    public const string ImpostorClientId = "user-alice";

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "rampart-oauth-" + Guid.NewGuid().ToString("N"));
    private ServerProcess? authServer;
    private ServerProcess? api;

    public string WorkerSecret { get; } = Secret();
    public string WebSecret { get; } = Secret();
    public string WriterSecret { get; } = Secret();
    public string InventorySecret { get; } = Secret();
    public string ConsoleSecret { get; } = Secret();
    public string ImpostorSecret { get; } = Secret();
    public string Password { get; } = Secret();
    public string AdminPassword { get; } = Secret();
    public string SigningKeyId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The auth server's base address, also its issuer (derived from the request in Development).</summary>
    public Uri AuthServer => authServer!.Address;

    public string Issuer => AuthServer.ToString();

    public Uri Api => api!.Address;

    /// <summary>The auth server's SQLite store (OpenIddict's applications, authorizations, tokens).</summary>
    public string AuthDatabase => Path.Combine(dataPath, "authserver.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dataPath);
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var auth = new Dictionary<string, string>
        {
            ["AuthServer__DataPath"] = dataPath,
            ["AuthServer__SigningKey__Id"] = SigningKeyId,
            ["AuthServer__SigningKey__PrivateKeyPem"] = signing.ExportPkcs8PrivateKeyPem(),
            ["AuthServer__EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["AuthServer__Resources__0__Name"] = "orders-api",
            ["AuthServer__Resources__0__Scopes__0"] = "orders:read",
            ["AuthServer__Resources__0__Scopes__1"] = "orders:write",
            ["AuthServer__Resources__0__Scopes__2"] = "admin:read",
            ["AuthServer__Resources__1__Name"] = "inventory-api",
            ["AuthServer__Resources__1__Scopes__0"] = "inventory:read",
            ["AuthServer__Users__0__Subject"] = "user-alice",
            ["AuthServer__Users__0__UserName"] = UserName,
            // Only the hash reaches the server, as in production.
            ["AuthServer__Users__0__PasswordHash"] = new PasswordHasher<object>().HashPassword(new object(), Password),
            // What each user holds: consent grants a client only the requested scopes the user holds.
            ["AuthServer__Users__0__Scopes__0"] = "orders:read",
            ["AuthServer__Users__0__Scopes__1"] = "orders:write",
            ["AuthServer__Users__1__Subject"] = "user-carol",
            ["AuthServer__Users__1__UserName"] = AdminUserName,
            ["AuthServer__Users__1__PasswordHash"] = new PasswordHasher<object>().HashPassword(new object(), AdminPassword),
            ["AuthServer__Users__1__Scopes__0"] = "orders:read",
            ["AuthServer__Users__1__Scopes__1"] = "admin:read",
            // Every test signs in from 127.0.0.1; LoginRateLimitTests checks the limit on a server of its own.
            ["AuthServer__LoginAttemptsPerMinute"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        AddClient(auth, 0, "orders-worker", WorkerSecret, ["client_credentials"], [], ["orders:read", "orders:write"]);
        AddClient(auth, 1, "orders-web", WebSecret, ["authorization_code"], [WebRedirectUri], ["orders:read", "orders:write"]);
        AddClient(auth, 2, "orders-spa", null, ["authorization_code"], [SpaRedirectUri], ["orders:read", "orders:write"]);
        AddClient(auth, 3, "orders-writer", WriterSecret, ["client_credentials"], [], ["orders:write"]);
        AddClient(auth, 4, "inventory-worker", InventorySecret, ["client_credentials"], [], ["inventory:read"]);
        // A client that may ask for admin:read: what a user consents to is still bounded by what the user holds.
        AddClient(auth, 5, "orders-console", ConsoleSecret, ["authorization_code"], [WebRedirectUri], ["orders:read", "admin:read"]);
        AddClient(auth, 6, ImpostorClientId, ImpostorSecret, ["client_credentials"], [], ["orders:read", "orders:write"]);

        string authAssembly = Metadata("AuthServerAssembly");
        // An empty content root: no appsettings file, so only the values above configure the server.
        string authRoot = Path.Combine(dataPath, "content");
        Directory.CreateDirectory(authRoot);
        authServer = await ServerProcess.StartAsync(authAssembly, authRoot, auth);

        string apiAssembly = Metadata("OrdersApiAssembly");
        api = await ServerProcess.StartAsync(apiAssembly, Path.GetDirectoryName(apiAssembly)!, new Dictionary<string, string>
        {
            ["Rampart__Authentication__Issuer"] = Issuer,
            ["Rampart__Authentication__Audience"] = "orders-api",
            // Keys from the auth server's discovery document and JWKS, nothing else: plain http is allowed
            // for a loopback authority only (and is refused by Rampart anywhere else).
            ["Rampart__Authentication__Authority"] = Issuer,
            ["Rampart__Authentication__AllowHttpJwksOnLoopback"] = "true",
            ["Rampart__Authentication__Store"] = "Memory",
            ["Orders__DataPath"] = Path.Combine(dataPath, "orders"),
            // The tests call the API many times from one address.
            ["Rampart__DefaultRateLimit"] = "",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (authServer is not null)
        {
            await authServer.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping server: the OS temp folder cleans it up.
        }
    }

    /// <summary>An HttpClient that does not follow redirects and keeps cookies (one browser session).</summary>
    public static HttpClient NewBrowserlessClient(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };

    public string ServerOutput => authServer?.Output + "\n---- API ----\n" + api?.Output;

    internal static string Metadata(string key) =>
        typeof(OAuthServers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException(key);

    private static void AddClient(Dictionary<string, string> config, int index, string id, string? secret, string[] grants, string[] redirects, string[] scopes)
    {
        string prefix = $"AuthServer__Clients__{index}__";
        config[prefix + "ClientId"] = id;
        config[prefix + "Confidential"] = secret is null ? "false" : "true";
        if (secret is not null)
        {
            config[prefix + "ClientSecret"] = secret;
        }

        for (int i = 0; i < grants.Length; i++)
        {
            config[prefix + $"GrantTypes__{i}"] = grants[i];
        }

        for (int i = 0; i < redirects.Length; i++)
        {
            config[prefix + $"RedirectUris__{i}"] = redirects[i];
        }

        for (int i = 0; i < scopes.Length; i++)
        {
            config[prefix + $"Scopes__{i}"] = scopes[i];
        }
    }

    private static string Secret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
