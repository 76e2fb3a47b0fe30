using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// Interoperability with PyJWT, the library of the brief's Python code: HS256 tokens minted by
/// <c>jwt.encode(payload, secret, algorithm="HS256")</c> (no <c>kid</c>, <c>typ: JWT</c>) are accepted by
/// Rampart, and Rampart's own tokens pass PyJWT's <c>jwt.decode(..., algorithms=["HS256"], audience=…, issuer=…)</c>.
/// Runs the system Python with Debian's python3-jwt; without it the tests fail, naming what to install.
/// </summary>
public sealed class PyJwtInteropTests
{
    // Reads one JSON request on stdin (the secret never goes on a command line) and prints one JSON answer.
    private const string Script = """
        import base64, json, sys
        import jwt
        request = json.load(sys.stdin)
        secret = base64.b64decode(request["secret"])
        if request["op"] == "encode":
            print(json.dumps({"token": jwt.encode(request["payload"], secret, algorithm="HS256")}))
        else:
            try:
                claims = jwt.decode(request["token"], secret, algorithms=["HS256"], audience=request["audience"],
                                    issuer=request["issuer"], options={"require": ["exp", "iat", "sub", "jti", "iss", "aud"]})
                print(json.dumps({"claims": claims}))
            except jwt.InvalidTokenError as error:
                print(json.dumps({"error": type(error).__name__}))
        """;

    private static readonly Lazy<string?> Python = new(FindPython);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The profile of an HS256 issuer that writes neither kid nor at+jwt (PyJWT's defaults): one key, typ JWT allowed.
    private static void PyJwtProfile(RampartAuthenticationOptions options)
    {
        options.Issuer = AuthApp.Issuer;
        options.Audiences.Add(AuthApp.Audience);
        options.Keys.Add(RampartSigningKey.FromSecret(AuthApp.HsKeyId, AuthApp.HsSecret));
        options.ValidTypes.Add("JWT");
    }

    // On the real clock: PyJWT checks exp (and iat) against the system time.
    private static Task<AuthApp> StartAsync(Action<RampartAuthenticationOptions> profile) =>
        AuthApp.StartAsync(configuration: null, profile, start: DateTimeOffset.UtcNow);

    private static JsonObject Claims(AuthApp app, string subject = "alice", string? audience = AuthApp.Audience)
    {
        long now = app.Time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = subject,
            ["iat"] = now,
            ["exp"] = now + 600,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iss"] = AuthApp.Issuer,
            ["scope"] = "orders:read",
        };
        if (audience is not null)
        {
            claims["aud"] = audience;
        }

        return claims;
    }

    [Fact]
    public async Task A_token_minted_by_pyjwt_without_kid_is_accepted()
    {
        await using var app = await StartAsync(PyJwtProfile);
        string token = await EncodeAsync(Convert.ToBase64String(AuthApp.HsSecret), Claims(app));
        // What PyJWT writes: HS256, typ JWT, no kid.
        var header = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.Split('.')[0])).RootElement;
        Assert.Equal(["alg", "typ"], header.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("HS256", header.GetProperty("alg").GetString());

        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Pyjwt_tokens_are_checked_like_any_other()
    {
        await using var app = await StartAsync(PyJwtProfile);
        string secret = Convert.ToBase64String(AuthApp.HsSecret);
        // Another secret, another audience: refused.
        string forged = await EncodeAsync(Convert.ToBase64String(new byte[32]), Claims(app));
        string otherAudience = await EncodeAsync(secret, Claims(app, audience: "another-api"));
        foreach (string token in new[] { forged, otherAudience })
        {
            using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The default profile wants at+jwt (RFC 9068): PyJWT's typ JWT is refused until ValidTypes allows it.
        await using var strict = await StartAsync(DefaultHsProfile);
        string untyped = await EncodeAsync(secret, Claims(strict));
        using (var refused = await strict.Client.SendAsync(AttackCatalogue.Bearer(untyped), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Contains(strict.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenInvalidId
            && e.Message.Contains("(" + TokenRejectionReasons.InvalidType + ")", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rampart_tokens_are_verified_by_pyjwt()
    {
        await using var app = await StartAsync(PyJwtProfile);
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read", "orders:write"]);
        var request = new JsonObject
        {
            ["op"] = "decode",
            ["secret"] = Convert.ToBase64String(AuthApp.HsSecret),
            ["token"] = token.Token,
            ["audience"] = AuthApp.Audience,
            ["issuer"] = AuthApp.Issuer,
        };
        var claims = (await RunAsync(request))["claims"]!.AsObject();
        Assert.Equal("alice", claims["sub"]!.GetValue<string>());
        Assert.Equal(token.Id, claims["jti"]!.GetValue<string>());
        Assert.Equal("orders:read orders:write", claims["scope"]!.GetValue<string>());
        Assert.Equal(token.ExpiresAt.ToUnixTimeSeconds(), claims["exp"]!.GetValue<long>());

        // PyJWT's checks are real: another audience, another issuer, another secret fail there.
        Assert.Equal("InvalidAudienceError", (await RunAsync(With(request, "audience", "another-api")))["error"]!.GetValue<string>());
        Assert.Equal("InvalidIssuerError", (await RunAsync(With(request, "issuer", "https://elsewhere.test")))["error"]!.GetValue<string>());
        Assert.Equal("InvalidSignatureError", (await RunAsync(With(request, "secret", Convert.ToBase64String(new byte[32]))))["error"]!.GetValue<string>());
    }

    private static void DefaultHsProfile(RampartAuthenticationOptions options)
    {
        options.Issuer = AuthApp.Issuer;
        options.Audiences.Add(AuthApp.Audience);
        options.Keys.Add(RampartSigningKey.FromSecret(AuthApp.HsKeyId, AuthApp.HsSecret));
    }

    private static async Task<string> EncodeAsync(string secret, JsonObject payload) =>
        (await RunAsync(new JsonObject { ["op"] = "encode", ["secret"] = secret, ["payload"] = payload }))["token"]!.GetValue<string>();

    private static JsonObject With(JsonObject request, string name, string value)
    {
        var copy = request.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static async Task<JsonObject> RunAsync(JsonObject request)
    {
        string python = Python.Value
            ?? throw new Xunit.Sdk.XunitException("PyJWT is missing: install Debian's python3-jwt (apt-get install -y python3-jwt) for the system python3.");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(request.ToJsonString());
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync(Ct);
        Task<string> error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{python} exited with {process.ExitCode}: {await error}");
        return JsonNode.Parse(await output)!.AsObject();
    }

    // The first interpreter that can import jwt: python3 on PATH may be another installation (pyenv) than
    // the system one Debian's python3-jwt goes into.
    private static string? FindPython()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3", "/usr/local/bin/python3" })
        {
            try
            {
                var start = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("import jwt");
                using var process = Process.Start(start);
                if (process is null)
                {
                    continue;
                }

                process.WaitForExit(30_000);
                if (process.HasExited && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed there.
            }
        }

        return null;
    }
}
