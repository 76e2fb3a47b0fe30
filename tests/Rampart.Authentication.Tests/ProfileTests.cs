using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>Issuing, permissions, time on a fake clock, missing tokens and anonymous endpoints.</summary>
public sealed class ProfileTests
{
    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_issued_token_is_accepted_and_the_handler_sees_its_subject()
    {
        await using var app = await AuthApp.StartAsync();
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("alice", body.RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task An_issued_token_carries_the_profile_claims()
    {
        await using var app = await AuthApp.StartAsync();
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        var first = issuer.Issue("alice", ["orders:read", "orders:write", "orders:read"]);
        var second = issuer.Issue("alice", ["orders:read"]);

        var jwt = new JsonWebToken(first.Token);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(AuthApp.EsKeyId, jwt.Kid);
        Assert.Equal(AuthApp.Issuer, jwt.Issuer);
        Assert.Equal([AuthApp.Audience], jwt.Audiences);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("orders:read orders:write", jwt.GetClaim("scope").Value);
        long now = AuthApp.Start.ToUnixTimeSeconds();
        Assert.Equal(now, jwt.GetPayloadValue<long>("iat"));
        Assert.Equal(now, jwt.GetPayloadValue<long>("nbf"));
        Assert.Equal(now + 3600, jwt.GetPayloadValue<long>("exp"));
        Assert.Equal(first.Id, jwt.Id);
        Assert.True(first.Id.Length >= 22);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(AuthApp.Start.AddHours(1), first.ExpiresAt);
        Assert.DoesNotContain(first.Token, first.ToString(), StringComparison.Ordinal);
        // No key material in the header: the validator never takes keys from tokens, and neither do we send them.
        Assert.False(jwt.TryGetHeaderValue<object>("jwk", out _));
        Assert.False(jwt.TryGetHeaderValue<object>("x5c", out _));
    }

    [Fact]
    public async Task The_issuer_refuses_bad_input()
    {
        await using var app = await AuthApp.StartAsync();
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        Assert.Throws<ArgumentException>(() => issuer.Issue("", ["orders:read"]));
        Assert.Throws<ArgumentException>(() => issuer.Issue("alice", ["orders:read admin:all"]));
        Assert.Throws<ArgumentException>(() => issuer.Issue("alice", [""]));
        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue("alice", [], TimeSpan.FromDays(2)));
    }

    [Fact]
    public async Task An_hs256_configuration_issues_hs256_tokens()
    {
        await using var app = await AuthApp.StartAsync(o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            o.Keys.Add(RampartSigningKey.FromSecret("hs", RandomNumberGenerator.GetBytes(32)));
        });
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("bob", ["orders:read"], TimeSpan.FromMinutes(5));
        Assert.Equal("HS256", new JsonWebToken(token.Token).Alg);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_without_the_permission_gets_403()
    {
        await using var app = await AuthApp.StartAsync();
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:write"]);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_expires_on_the_fake_clock_after_the_30_second_skew()
    {
        await using var app = await AuthApp.StartAsync();
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);

        app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(29));
        using (var inSkew = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, inSkew.StatusCode);
        }

        app.Time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(expired, Ct);
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenExpiredId);
    }

    [Fact]
    public async Task A_token_issued_slightly_ahead_is_accepted_within_the_skew()
    {
        await using var app = await AuthApp.StartAsync();
        long now = Forge.Now(app);
        string token = Forge.Es256(Forge.EsHeader, Forge.Payload(app, iat: (now + 20).ToString(), nbf: (now + 20).ToString()));
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_maximum_token_age_refuses_old_tokens_whatever_their_exp()
    {
        await using var app = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.MaxTokenAge = TimeSpan.FromMinutes(5);
        });
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        using (var fresh = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        app.Time.Advance(TimeSpan.FromMinutes(6));
        using var old = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(old, Ct);
        Assert.Contains(app.SecurityEvents, e => e.Message.Contains("(" + TokenRejectionReasons.TooOld + ")", StringComparison.Ordinal));

        // Without iat the age cannot be known: refused.
        string noIat = Forge.Es256(Forge.EsHeader, Forge.Payload(app).Replace("\"iat\":" + Forge.Now(app) + ",", "", StringComparison.Ordinal));
        Assert.DoesNotContain("\"iat\"", new JsonWebToken(noIat).EncodedPayload, StringComparison.Ordinal);
        using var missing = await app.Client.SendAsync(AttackCatalogue.Bearer(noIat), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(missing, Ct);
    }

    [Fact]
    public async Task A_missing_token_on_a_protected_endpoint_is_401_Bearer_with_event_1001()
    {
        await using var app = await AuthApp.StartAsync();
        using var response = await app.Client.GetAsync("/secure", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenMissingId);

        // Another scheme is no bearer token either; never a fallback to a cookie.
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/secure");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic YWxpY2U6c2VjcmV0");
        basic.Headers.TryAddWithoutValidation("Cookie", "access_token=" + Forge.Valid(app));
        using var second = await app.Client.SendAsync(basic, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(2, app.SecurityEvents.Count(e => e.Id.Id == AuthenticationEvents.TokenMissingId));
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_case_insensitive()
    {
        await using var app = await AuthApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/secure");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + Forge.Valid(app));
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_endpoint_works_without_a_token_but_refuses_an_invalid_one()
    {
        await using var app = await AuthApp.StartAsync();
        using (var anonymous = await app.Client.GetAsync("/open", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        }

        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenMissingId);
        using var forged = await app.Client.SendAsync(AttackCatalogue.Bearer(Forge.Tamper(Forge.Valid(app), 2), "/open"), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(forged, Ct);
    }
}
