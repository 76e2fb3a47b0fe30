using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>The <c>Rampart:Authentication</c> section, and unsafe settings failing at start-up with a clear message.</summary>
public sealed class ConfigurationTests
{
    private static IDictionary<string, string?> Section(params (string Key, string? Value)[] values)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Rampart:Authentication:Issuer"] = AuthApp.Issuer,
            ["Rampart:Authentication:Audience"] = AuthApp.Audience,
            ["Rampart:Authentication:Keys:0:Id"] = "hs-config",
            ["Rampart:Authentication:Keys:0:Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (key, value) in values)
        {
            settings["Rampart:Authentication:" + key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task The_profile_is_read_from_configuration()
    {
        using var es = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var app = await AuthApp.StartAsync(Section(
            ("Keys:1:Id", "es-config"),
            ("Keys:1:PrivateKeyPem", es.ExportPkcs8PrivateKeyPem()),
            ("SigningKeyId", "es-config"),
            ("ClockSkewSeconds", "10"),
            ("MaxTokenAgeSeconds", "600"),
            ("AccessTokenLifetimeSeconds", "900"),
            ("MaxTokenLength", "2048")), configure: null);
        var options = app.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        Assert.Equal(AuthApp.Issuer, options.Issuer);
        Assert.Equal([AuthApp.Audience], options.Audiences);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MaxTokenAge);
        Assert.Equal(TimeSpan.FromMinutes(15), options.AccessTokenLifetime);
        Assert.Equal(2048, options.MaxTokenLength);
        Assert.Equal(["HS256", "ES256"], [options.Keys[0].Algorithm, options.Keys[1].Algorithm]);

        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("carol", ["orders:read"]);
        Assert.Equal("es-config", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Token).Kid);
        Assert.Equal(AuthApp.Start.AddMinutes(15), token.ExpiresAt);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Defaults_are_30_seconds_of_skew_one_hour_tokens_and_at_jwt()
    {
        await using var app = await AuthApp.StartAsync(Section(), configure: null);
        var options = app.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.Equal(TimeSpan.FromHours(1), options.AccessTokenLifetime);
        Assert.Null(options.MaxTokenAge);
        Assert.Equal(["at+jwt", "application/at+jwt"], options.ValidTypes);
    }

    public static TheoryData<string, string, string?, string> UnsafeSettings => new()
    {
        { "no issuer", "Issuer", null, "Issuer is required" },
        { "empty issuer", "Issuer", "", "Issuer is required" },
        { "no audience", "Audience", null, "Audience is required" },
        { "no keys", "Keys:0:Id", null, "at least one key is required" },
        { "key without id", "Keys:0:Id", "", "Keys:0:Id is required" },
        { "short HS256 secret", "Keys:0:Secret", Convert.ToBase64String(new byte[16]), "at least 256 bits" },
        { "secret not base64", "Keys:0:Secret", "not base64!", "must be base64" },
        { "alg none", "Keys:0:Algorithm", "none", "'none' is never allowed" },
        { "RS256 on a symmetric key", "Keys:0:Algorithm", "RS256", "not allowed" },
        { "HS512 with a 256-bit secret", "Keys:0:Algorithm", "HS512", "at least 512 bits" },
        { "skew of ten minutes", "ClockSkewSeconds", "600", "ClockSkewSeconds" },
        { "negative skew", "ClockSkewSeconds", "-1", "ClockSkewSeconds" },
        { "skew not a number", "ClockSkewSeconds", "thirty", "whole number" },
        { "tiny token limit", "MaxTokenLength", "10", "MaxTokenLength" },
        { "zero max age", "MaxTokenAgeSeconds", "0", "MaxTokenAgeSeconds" },
        { "two-day tokens", "AccessTokenLifetimeSeconds", "172800", "AccessTokenLifetimeSeconds" },
        { "unknown signing key", "SigningKeyId", "nope", "SigningKeyId 'nope'" },
    };

    [Theory]
    [MemberData(nameof(UnsafeSettings))]
    public async Task Unsafe_configuration_fails_at_start_up_with_a_clear_message(string what, string key, string? value, string message)
    {
        var settings = Section();
        if (value is null)
        {
            settings.Remove("Rampart:Authentication:" + key);
            if (key == "Keys:0:Id")
            {
                settings.Remove("Rampart:Authentication:Keys:0:Secret");
            }
        }
        else
        {
            settings["Rampart:Authentication:" + key] = value;
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AuthApp.StartAsync(settings, configure: null));
        Assert.True(error.ToString().Contains(message, StringComparison.Ordinal), what + ": " + error);
    }

    [Fact]
    public async Task Keys_with_mismatched_algorithms_or_curves_fail_at_start_up()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(1024);
        await AssertFailsAsync(o => o.Keys.Add(RampartSigningKey.FromEcdsa("ec", p384)), "needs a P-256 key");
        await AssertFailsAsync(o => o.Keys.Add(RampartSigningKey.FromEcdsa("ec", AuthApp.EsKey, "HS256")), "not allowed");
        await AssertFailsAsync(o => o.Keys.Add(RampartSigningKey.FromRsa("rsa", rsa)), "at least 2048 bits");
        await AssertFailsAsync(o =>
        {
            o.Keys.Add(RampartSigningKey.FromSecret("same", RandomNumberGenerator.GetBytes(32)));
            o.Keys.Add(RampartSigningKey.FromSecret("same", RandomNumberGenerator.GetBytes(32)));
        }, "used twice");
        await AssertFailsAsync(o =>
        {
            o.Keys.Add(RampartSigningKey.FromEcdsa("ec", AuthApp.EsKey));
            o.ValidTypes.Clear();
        }, "ValidTypes must not be empty");

        static async Task AssertFailsAsync(Action<RampartAuthenticationOptions> keys, string message)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => AuthApp.StartAsync(o =>
            {
                o.Issuer = AuthApp.Issuer;
                o.Audiences.Add(AuthApp.Audience);
                keys(o);
            }));
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_public_key_only_profile_validates_but_cannot_issue()
    {
        using var es = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var app = await AuthApp.StartAsync(o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.Keys.Add(RampartSigningKey.FromPem(AuthApp.EsKeyId, AuthApp.EsKey.ExportSubjectPublicKeyInfoPem()));
        });
        Assert.False(app.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value.Keys[0].CanSign);
        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]));
        Assert.Contains("no key with private material", error.Message, StringComparison.Ordinal);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(Forge.Valid(app)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Empty_numbers_and_switches_keep_their_defaults()
    {
        await using var app = await AuthApp.StartAsync(Section(
            ("ClockSkewSeconds", ""),
            ("MaxTokenLength", ""),
            ("EnableValidatedTokenCache", ""),
            ("JwksUri", "")), configure: null);
        var options = app.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        Assert.Equal(RampartAuthenticationOptions.DefaultClockSkew, options.ClockSkew);
        Assert.Equal(RampartAuthenticationOptions.DefaultMaxTokenLength, options.MaxTokenLength);
        Assert.True(options.EnableValidatedTokenCache);
        Assert.Null(options.JwksUri);
    }

    [Fact]
    public async Task ValidTypes_replace_the_defaults_and_Audience_and_Audiences_add_up()
    {
        await using var app = await AuthApp.StartAsync(Section(
            ("Audiences:0", "second-api"),
            ("Audiences:1", "third-api"),
            ("ValidTypes:0", "JWT")), configure: null);
        var options = app.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;
        Assert.Equal([AuthApp.Audience, "second-api", "third-api"], options.Audiences);
        Assert.Equal(["JWT"], options.ValidTypes);
    }

    [Fact]
    public async Task A_key_entry_is_named_by_its_configuration_key()
    {
        var settings = Section(("Keys:5:Secret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AuthApp.StartAsync(settings, configure: null));
        Assert.Contains("Rampart:Authentication:Keys:5:Id is required", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_jwks_address_fails_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AuthApp.StartAsync(Section(("JwksUri", "keys/jwks.json")), configure: null));
        Assert.Contains("Rampart:Authentication: JwksUri 'keys/jwks.json' must be an absolute https address.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_unsafe_setting_is_reported_at_once()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AuthApp.StartAsync(Section(("ClockSkewSeconds", "600"), ("MaxTokenLength", "10")), configure: null));
        Assert.Contains("ClockSkewSeconds must be between 0 and 300.", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTokenLength must be between 256 and 65536 characters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_JwtBearer_configuration_of_the_application_cannot_loosen_the_profile()
    {
        // The application (or a library it uses) configures the scheme after AddRampartAuthentication: any issuer,
        // any audience, events of its own. Rampart's profile is a post-configuration and still decides.
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, servicesAfterRampart: services =>
            services.Configure<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>(
                Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme, jwt =>
                {
                    jwt.TokenValidationParameters.ValidateIssuer = false;
                    jwt.TokenValidationParameters.ValidateAudience = false;
                    jwt.Events = new Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerEvents();
                }));

        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Forge.Es256(Forge.EsHeader, Forge.Payload(app, iss: "\"https://evil.example\""))));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Forge.Es256(Forge.EsHeader, Forge.Payload(app, aud: "\"another-api\""))));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Forge.Es256(Forge.EsHeader, Forge.Payload(app, jti: ""))));   // Rampart's events: a jti is required
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(Forge.Valid(app)));
    }
}
