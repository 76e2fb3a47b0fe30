using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// The <see cref="IRefreshTokenValidator"/> hook: every refresh re-checks the user; a refused user's family is revoked
/// (event 1011, the same null answer as a bad token), and the new access token carries only the granted permissions the
/// user still holds — never more than the login was granted. Against both stores.
/// </summary>
public sealed class RefreshValidationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => new() { "Sqlite", "Memory" };

    private static Task<AuthApp> StartAsync(string store, Users users) =>
        AuthApp.StartAsync(new Dictionary<string, string?> { ["Rampart:Authentication:Store"] = store }, AuthApp.DefaultKeys,
            services => services.AddSingleton<IRefreshTokenValidator>(users));

    private static RefreshTokenService Service(AuthApp app) => app.Services.GetRequiredService<RefreshTokenService>();

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_removed_user_cannot_refresh_and_the_family_is_revoked_with_event_1011(string store)
    {
        var users = new Users { ["alice"] = ["orders:read", "orders:write"], ["bob"] = ["orders:read"] };
        await using var app = await StartAsync(store, users);
        var alice = await Service(app).IssueAsync("alice", ["orders:read", "orders:write"], Ct);
        var rotated = (await Service(app).RefreshAsync(alice.RefreshToken, "test", Ct))!;
        var bob = await Service(app).IssueAsync("bob", ["orders:read"], Ct);

        users.Remove("alice");
        Assert.Null(await Service(app).RefreshAsync(rotated.RefreshToken, "203.0.113.9", Ct));

        var refused = Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshRefusedId);
        Assert.Contains("user_not_found", refused.Message, StringComparison.Ordinal);
        Assert.Contains("alice", refused.Message, StringComparison.Ordinal);
        Assert.Contains("203.0.113.9", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.RefreshToken, refused.Message, StringComparison.Ordinal);
        // The whole family: both access tokens, and the token is spent (no second validation, no reuse event).
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(rotated.AccessToken.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(alice.AccessToken.Token));
        users["alice"] = ["orders:read", "orders:write"];   // even if the user came back
        Assert.Null(await Service(app).RefreshAsync(rotated.RefreshToken, "test", Ct));
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
        Assert.Equal(2, users.Calls("alice"));   // the first refresh and the refused one

        Assert.NotNull(await Service(app).RefreshAsync(bob.RefreshToken, "test", Ct));
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(bob.AccessToken.Token));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Scopes_are_narrowed_to_what_the_user_holds_now_and_never_widened_beyond_the_login(string store)
    {
        var users = new Users { ["alice"] = ["orders:read", "orders:write"] };
        await using var app = await StartAsync(store, users);
        var login = await Service(app).IssueAsync("alice", ["orders:read", "orders:write"], Ct);

        users["alice"] = ["orders:write", "admin:read"];   // demoted, and given a permission the login did not grant
        var narrowed = (await Service(app).RefreshAsync(login.RefreshToken, "test", Ct))!;
        Assert.Equal("orders:write", narrowed.Scope);
        Assert.Equal("orders:write", new JsonWebToken(narrowed.AccessToken.Token).GetClaim("scope").Value);
        Assert.Equal(HttpStatusCode.Forbidden, await app.StatusAsync(narrowed.AccessToken.Token));   // /secure needs orders:read
        Assert.Equal(["orders:read", "orders:write"], users.LastGranted);   // the validator sees the login's grant

        users["alice"] = [];
        var none = (await Service(app).RefreshAsync(narrowed.RefreshToken, "test", Ct))!;
        Assert.Equal("", none.Scope);

        // Promoted again: up to the login's grant, not beyond.
        users["alice"] = ["orders:read", "orders:write", "admin:read"];
        var restored = (await Service(app).RefreshAsync(none.RefreshToken, "test", Ct))!;
        Assert.Equal("orders:read orders:write", restored.Scope);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(restored.AccessToken.Token));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_failing_validator_neither_spends_nor_revokes_the_token(string store)
    {
        var users = new Users { ["alice"] = ["orders:read"] };
        await using var app = await StartAsync(store, users);
        var login = await Service(app).IssueAsync("alice", ["orders:read"], Ct);

        users.Down = true;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Service(app).RefreshAsync(login.RefreshToken, "test", Ct));
        users.Down = false;
        Assert.NotNull(await Service(app).RefreshAsync(login.RefreshToken, "test", Ct));
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(login.AccessToken.Token));
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id is AuthenticationEvents.RefreshRefusedId or AuthenticationEvents.RefreshReuseDetectedId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reuse_is_still_detected_and_dead_tokens_never_reach_the_validator(string store)
    {
        var users = new Users { ["alice"] = ["orders:read"] };
        await using var app = await StartAsync(store, users);
        var login = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        var second = (await Service(app).RefreshAsync(login.RefreshToken, "test", Ct))!;
        Assert.Equal(1, users.Calls("alice"));

        Assert.Null(await Service(app).RefreshAsync(login.RefreshToken, "198.51.100.7", Ct));   // a replay
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
        Assert.Null(await Service(app).RefreshAsync(second.RefreshToken, "test", Ct));         // revoked with its family
        Assert.Null(await Service(app).RefreshAsync(new string('A', 43), "test", Ct));          // unknown
        Assert.Equal(1, users.Calls("alice"));
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshRefusedId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_store_whose_inspection_disagrees_with_its_redemption_cannot_skip_the_validator(bool showsAnotherEntry)
    {
        // A custom store whose InspectAsync misses the entry (or shows another one) that RedeemAsync then redeems.
        var users = new Users { ["alice"] = ["orders:read", "orders:write"], ["bob"] = ["orders:read"] };
        var store = new DisagreeingStore();
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, services => services
            .AddSingleton<IRefreshTokenValidator>(users)
            .AddSingleton<IRefreshTokenStore>(store));
        var bob = await Service(app).IssueAsync("bob", ["orders:read"], Ct);
        var alice = await Service(app).IssueAsync("alice", ["orders:read", "orders:write"], Ct);
        store.Shown = showsAnotherEntry ? (await store.InspectAsync(Sha256(bob.RefreshToken), app.Time.GetUtcNow(), Ct)).Entry : null;
        store.Disagrees = true;

        // Demoted: the validator narrows the refresh to what alice holds now.
        users["alice"] = ["orders:read"];
        var narrowed = (await Service(app).RefreshAsync(alice.RefreshToken, "test", Ct))!;
        Assert.Equal("orders:read", narrowed.Scope);

        // Removed: the refresh is refused and the family revoked, as with a store that agrees.
        users.Remove("alice");
        Assert.Null(await Service(app).RefreshAsync(narrowed.RefreshToken, "test", Ct));
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshRefusedId && e.Message.Contains("alice", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(narrowed.AccessToken.Token));

        // A store that redeems yet another entry on the retry: nothing is minted.
        users["alice"] = ["orders:read"];
        var again = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        store.ChangesEveryTime = true;
        Assert.Null(await Service(app).RefreshAsync(again.RefreshToken, "test", Ct));
        store.ChangesEveryTime = false;
        store.Disagrees = false;
        Assert.NotNull(await Service(app).RefreshAsync(again.RefreshToken, "test", Ct));   // nothing was spent
    }

    private static byte[] Sha256(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The in-memory store, with an inspection that can disagree with the redemption.</summary>
    private sealed class DisagreeingStore : IRefreshTokenStore
    {
        private readonly InMemoryRefreshTokenStore _inner = new(new FakeTimeProvider(AuthApp.Start));
        private int _redemptions;

        public volatile bool Disagrees;

        public volatile bool ChangesEveryTime;

        /// <summary>What InspectAsync shows while it disagrees: nothing, or another token's entry.</summary>
        public RefreshTokenEntry? Shown { get; set; }

        public ValueTask<RefreshTokenRedemption> InspectAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
            Disagrees
                ? ValueTask.FromResult(new RefreshTokenRedemption(Shown is null ? RefreshTokenRedemptionStatus.NotFound : RefreshTokenRedemptionStatus.Redeemed, Shown))
                : _inner.InspectAsync(tokenHash, now, cancellationToken);

        public ValueTask<RefreshTokenRedemption> RedeemAsync(byte[] tokenHash, DateTimeOffset now, Func<RefreshTokenEntry, RefreshTokenEntry> successor, CancellationToken cancellationToken) =>
            // Changing every time: each redemption hands the callback an entry with another scope than the last.
            _inner.RedeemAsync(tokenHash, now, old => successor(ChangesEveryTime ? old with { Scope = old.Scope + " x" + Interlocked.Increment(ref _redemptions) } : old), cancellationToken);

        public ValueTask<bool> AddAsync(RefreshTokenEntry entry, CancellationToken cancellationToken) => _inner.AddAsync(entry, cancellationToken);

        public ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeFamilyAsync(string familyId, CancellationToken cancellationToken) => _inner.RevokeFamilyAsync(familyId, cancellationToken);

        public ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken) => _inner.RevokeSubjectAsync(subject, cancellationToken);

        public ValueTask<string?> FindFamilyAsync(string accessTokenId, CancellationToken cancellationToken) => _inner.FindFamilyAsync(accessTokenId, cancellationToken);
    }

    [Fact]
    public void A_refusal_needs_a_reason_and_a_valid_answer_its_permissions()
    {
        Assert.Throws<ArgumentException>(() => RefreshValidation.Refused(" "));
        Assert.Throws<ArgumentNullException>(() => RefreshValidation.Valid(null!));
        var valid = RefreshValidation.Valid(["a", "a", "b"]);
        Assert.True(valid.IsValid);
        Assert.Equal(2, valid.Permissions.Count);
        var refused = RefreshValidation.Refused("user_disabled");
        Assert.False(refused.IsValid);
        Assert.Empty(refused.Permissions);
    }

    /// <summary>The application's users and their permissions now; counts the validator's calls.</summary>
    private sealed class Users : IRefreshTokenValidator, IEnumerable<KeyValuePair<string, string[]>>
    {
        private readonly ConcurrentDictionary<string, string[]> _users = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public volatile bool Down;

        public IReadOnlyList<string> LastGranted { get; private set; } = [];

        public string[] this[string user]
        {
            set => _users[user] = value;
        }

        public void Remove(string user) => _users.TryRemove(user, out _);

        public int Calls(string user) => _calls.GetValueOrDefault(user);

        public ValueTask<RefreshValidation> ValidateAsync(string subject, IReadOnlyList<string> grantedScopes, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(subject, 1, (_, n) => n + 1);
            LastGranted = grantedScopes;
            if (Down)
            {
                throw new InvalidOperationException("user store down");
            }

            return ValueTask.FromResult(_users.TryGetValue(subject, out var permissions)
                ? RefreshValidation.Valid(permissions)
                : RefreshValidation.Refused("user_not_found"));
        }

        public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() => _users.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
