using System;
using System.Linq;
using System.Net;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>The <c>jti</c> deny-list: checked on every request with a valid token, failing closed.</summary>
public sealed class RevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_revoked_token_is_refused_on_every_endpoint_with_event_1004_and_others_still_work()
    {
        await using var app = await AuthApp.StartAsync();
        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        var revoked = issuer.Issue("alice", ["orders:read"]);
        var other = issuer.Issue("alice", ["orders:read"]);
        using (var before = await app.Client.SendAsync(AttackCatalogue.Bearer(revoked.Token), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var store = app.Services.GetRequiredService<ITokenRevocationStore>();
        await store.RevokeAsync(revoked.Id, revoked.ExpiresAt, Ct);

        using var secure = await app.Client.SendAsync(AttackCatalogue.Bearer(revoked.Token), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(secure, Ct);
        // Also where the endpoint itself checks nothing.
        using var open = await app.Client.SendAsync(AttackCatalogue.Bearer(revoked.Token, "/open"), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(open, Ct);

        var events = app.SecurityEvents.Where(e => e.Id.Id == AuthenticationEvents.TokenRevokedId).ToArray();
        Assert.Equal(2, events.Length);
        Assert.All(events, e => Assert.Contains(revoked.Id, e.Message, StringComparison.Ordinal));
        Assert.All(events, e => Assert.Contains("alice", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs, l => l.Message.Contains(revoked.Token.Split('.')[2], StringComparison.Ordinal));

        using var stillValid = await app.Client.SendAsync(AttackCatalogue.Bearer(other.Token), Ct);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Fact]
    public async Task A_principal_revokes_its_own_token_as_on_logout()
    {
        await using var app = await AuthApp.StartAsync();
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("bob", ["orders:read"]);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "bob"), new Claim("jti", token.Id), new Claim("exp", token.ExpiresAt.ToUnixTimeSeconds().ToString())], "Bearer"));
        var store = app.Services.GetRequiredService<ITokenRevocationStore>();
        await store.RevokeAsync(principal, Ct);
        Assert.True(await store.IsRevokedAsync(token.Id, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.RevokeAsync(new ClaimsPrincipal(new ClaimsIdentity()), Ct));
    }

    [Fact]
    public async Task A_failing_store_fails_closed_with_503_and_event_1005()
    {
        await using var app = await AuthApp.StartAsync(configuration: null, configure: AuthApp.DefaultKeys, services: s => s.AddSingleton<ITokenRevocationStore, BrokenStore>());
        var token = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token.Token), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("store down", body, StringComparison.Ordinal);
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RevocationStoreUnavailableId);
    }

    [Fact]
    public async Task The_in_memory_store_forgets_entries_only_after_the_token_cannot_be_accepted()
    {
        var time = new FakeTimeProvider(AuthApp.Start);
        var store = new InMemoryTokenRevocationStore(time);
        await store.RevokeAsync("a", AuthApp.Start.AddMinutes(10), Ct);
        Assert.True(await store.IsRevokedAsync("a", Ct));
        Assert.False(await store.IsRevokedAsync("b", Ct));

        time.Advance(TimeSpan.FromMinutes(14));
        store.Sweep();
        Assert.True(await store.IsRevokedAsync("a", Ct)); // still within exp + 5 minutes of skew

        time.Advance(TimeSpan.FromMinutes(2));
        store.Sweep();
        Assert.False(await store.IsRevokedAsync("a", Ct));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task The_in_memory_store_stays_bounded_by_live_revocations()
    {
        var time = new FakeTimeProvider(AuthApp.Start);
        var store = new InMemoryTokenRevocationStore(time);
        for (int i = 0; i < 10_000; i++)
        {
            await store.RevokeAsync("t" + i, time.GetUtcNow().AddMinutes(1), Ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // Only tokens that could still be accepted (the last 6 minutes' worth, ~360) plus one sweep's slack.
        Assert.True(store.Count < 2048, "count " + store.Count);
        Assert.True(await store.IsRevokedAsync("t9999", Ct));
    }

    private sealed class BrokenStore : ITokenRevocationStore
    {
        public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken) => throw new InvalidOperationException("store down");

        public ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) => throw new InvalidOperationException("store down");

        public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken) => throw new InvalidOperationException("store down");
    }
}
