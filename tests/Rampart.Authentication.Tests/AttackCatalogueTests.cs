using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// Every attack of the catalogue gets 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>, a
/// problem body without validator internals and exactly one security event with the expected reason
/// class; the token never reaches a log line; the valid control token still works afterwards.
/// </summary>
public sealed class AttackCatalogueTests
{
    [Fact]
    public void The_catalogue_has_at_least_30_distinct_cases()
    {
        Assert.True(AttackCatalogue.All.Count >= 30, $"only {AttackCatalogue.All.Count} cases");
        Assert.Equal(AttackCatalogue.All.Count, AttackCatalogue.All.Select(a => a.Name).Distinct().Count());
    }

    [Fact]
    public async Task The_forging_helper_makes_valid_tokens_so_each_rejection_is_the_attack()
    {
        await using var app = await AuthApp.StartAsync();
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(Forge.Valid(app)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var hs = await app.Client.SendAsync(
            AttackCatalogue.Bearer(Forge.Hs256("""{"alg":"HS256","typ":"at+jwt","kid":"hs-1"}""", Forge.Payload(app), AuthApp.HsSecret)),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, hs.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AttackCatalogue.Names), MemberType = typeof(AttackCatalogue))]
    public async Task Attack_is_rejected_with_401_and_a_security_event(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var attack = AttackCatalogue.All.Single(a => a.Name == name);
        await using var app = await AuthApp.StartAsync();

        using var request = attack.Request(app);
        string sent = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(" ", values) : request.RequestUri!.ToString();
        using var response = await app.Client.SendAsync(request, ct);
        await AssertRejectedAsync(response, ct);

        var events = app.SecurityEvents.ToArray();
        var expected = attack.Reason == TokenRejectionReasons.Expired
            ? events.Where(e => e.Id.Id == AuthenticationEvents.TokenExpiredId)
            : attack.Reason == TokenRejectionReasons.Revoked
            ? events.Where(e => e.Id.Id == AuthenticationEvents.TokenRevokedId)
            : events.Where(e => e.Id.Id == AuthenticationEvents.TokenInvalidId && e.Message.Contains("(" + attack.Reason + ")", StringComparison.Ordinal));
        Assert.True(expected.Count() == 1, $"expected one event for '{attack.Reason}', got: {string.Join(" | ", events.Select(e => e.Id.Id + " " + e.Message))}");

        // No part of the token (nor of an attacker's) reaches any log line. The query-string case is
        // the exception that proves the rule: ASP.NET Core's own "Request starting" line logs the URL,
        // which is why a token there is refused (RFC 6750 §5.3) — and why it must never be sent.
        foreach (string part in sent.Replace("Bearer ", " ").Split(' ', '.', '?', '=').Where(p => p.Length >= 16 && attack.Reason != TokenRejectionReasons.TokenInQuery))
        {
            Assert.DoesNotContain(app.Logs, l => l.Message.Contains(part, StringComparison.Ordinal));
        }

        // The valid control token still works.
        using var control = await app.Client.SendAsync(AttackCatalogue.Bearer(Forge.Valid(app)), ct);
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
    }

    [Fact]
    public async Task All_attacks_in_a_row_then_the_control_token_still_works()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await AuthApp.StartAsync();
        foreach (var attack in AttackCatalogue.All)
        {
            using var request = attack.Request(app);
            using var response = await app.Client.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, attack.Name + ": " + response.StatusCode);
        }

        Assert.Equal(AttackCatalogue.All.Count, app.SecurityEvents.Count(e => e.Id.Id is AuthenticationEvents.TokenInvalidId or AuthenticationEvents.TokenExpiredId or AuthenticationEvents.TokenRevokedId));
        using var control = await app.Client.SendAsync(AttackCatalogue.Bearer(Forge.Valid(app)), ct);
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
    }

    internal static async Task AssertRejectedAsync(HttpResponseMessage response, System.Threading.CancellationToken ct)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync(ct);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        // No validator internals: no IdentityModel codes, exception names, keys or claims.
        Assert.DoesNotContain("IDX", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("kid", body, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthApp.Issuer, body, StringComparison.Ordinal);
        // Security headers are on errors too (UseRampart runs first).
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));
    }
}
