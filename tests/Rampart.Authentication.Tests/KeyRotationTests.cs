using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>The issuer's JWKS document and signing-key rotation through a configuration reload.</summary>
public sealed class KeyRotationTests
{
    private static readonly ECDsa OldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly ECDsa NewKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpStatusCode> SendAsync(AuthApp app, string token)
    {
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        return response.StatusCode;
    }

    private static async Task<(string Text, JsonElement[] Keys)> JwksAsync(AuthApp app)
    {
        using var response = await app.Client.GetAsync(RampartAuthenticationExtensionsPath, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(text);
        return (text, document.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Clone()).ToArray());
    }

    private const string RampartAuthenticationExtensionsPath = "/.well-known/jwks.json";

    [Fact]
    public async Task The_jwks_document_publishes_public_asymmetric_keys_only()
    {
        using var rsa = RSA.Create(2048);
        await using var app = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o); // ES256 (private) and HS256
            o.Keys.Add(RampartSigningKey.FromRsa("rsa-1", rsa));
        });
        var (text, keys) = await JwksAsync(app);

        Assert.Equal(["es-1", "rsa-1"], keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(["ES256", "RS256"], keys.Select(k => k.GetProperty("alg").GetString()));
        Assert.All(keys, k => Assert.Equal("sig", k.GetProperty("use").GetString()));
        // No private or symmetric parameter of any kind, and no trace of the HMAC secret.
        foreach (string member in new[] { "d", "p", "q", "dp", "dq", "qi", "k", "oth" })
        {
            Assert.All(keys, k => Assert.False(k.TryGetProperty(member, out _), member));
        }

        Assert.DoesNotContain(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(AuthApp.HsSecret), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(AuthApp.EsKey.ExportParameters(true).D!), text, StringComparison.Ordinal);

        // What is published is the key the tokens are signed with: another resource server reading it accepts them.
        var published = JwksKeySource.ReadKeys(text, out _);
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = AuthApp.Issuer,
            ValidAudience = AuthApp.Audience,
            IssuerSigningKeys = published.Select(k => k.Key),
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["at+jwt"],
            LifetimeValidator = (_, _, _, _) => true,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task A_rotated_key_signs_with_its_own_kid_while_the_old_one_validates_until_removed_and_the_cache_follows()
    {
        var keys = new List<RampartSigningKey> { RampartSigningKey.FromEcdsa("k-old", OldKey) };
        string? signingKeyId = null;
        await using var app = await AuthApp.StartAsync(configuration: new Dictionary<string, string?>(), configure: o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.SigningKeyId = signingKeyId;
            foreach (var key in keys)
            {
                o.Keys.Add(key);
            }
        });
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        var cache = app.Services.GetRequiredService<ValidatedTokenCache>();
        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        string old = issuer.Issue("alice", ["orders:read"]).Token;
        Assert.Equal("k-old", new JsonWebToken(old).Kid);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old));
        Assert.Equal(1, cache.Hits);

        // Rotation: a new key is added and designated; the old one stays configured.
        keys.Insert(0, RampartSigningKey.FromEcdsa("k-new", NewKey));
        signingKeyId = "k-new";
        configuration.Reload();
        string fresh = issuer.Issue("alice", ["orders:read"]).Token;
        Assert.Equal("k-new", new JsonWebToken(fresh).Kid);
        Assert.Equal(0, cache.Count); // the key set changed: the cache was cleared
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, fresh));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old)); // validated again, with the old key
        Assert.Equal(["k-new", "k-old"], (await JwksAsync(app)).Keys.Select(k => k.GetProperty("kid").GetString()));

        // The old tokens have expired: the old key is removed; its tokens are refused even though cached.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, old));
        keys.RemoveAll(k => k.Id == "k-old");
        configuration.Reload();
        using (var response = await app.Client.SendAsync(AttackCatalogue.Bearer(old), Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, fresh));
        Assert.Equal(["k-new"], (await JwksAsync(app)).Keys.Select(k => k.GetProperty("kid").GetString()));
    }

    [Fact]
    public async Task Without_a_designated_key_the_first_key_with_private_material_signs()
    {
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(OldKey.ExportSubjectPublicKeyInfo(), out _);
        await using var app = await AuthApp.StartAsync(o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.Keys.Add(RampartSigningKey.FromEcdsa("verify-only", publicOnly));
            o.Keys.Add(RampartSigningKey.FromEcdsa("signer", NewKey));
        });
        string token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]).Token;
        Assert.Equal("signer", new JsonWebToken(token).Kid);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
    }
}
