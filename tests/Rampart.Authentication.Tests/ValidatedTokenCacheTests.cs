using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// The validated-token cache (issue 3 point 6): a hit skips signature and claims validation, and
/// nothing else; entries never outlive <c>exp</c>, the maximum token age or the key set; the cache is bounded.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private const string HsHeader = """{"alg":"HS256","typ":"at+jwt","kid":"hs-1"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Hs(AuthApp app, string? exp = null, string? jti = null) =>
        Forge.Hs256(HsHeader, Forge.Payload(app, exp: exp, jti: jti), AuthApp.HsSecret);

    private static ValidatedTokenCache Cache(AuthApp app) => app.Services.GetRequiredService<ValidatedTokenCache>();

    private static async Task<HttpStatusCode> SendAsync(AuthApp app, string token, string path = "/secure")
    {
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token, path), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_hit_skips_validation_and_the_option_turns_the_cache_off()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        string es = Forge.Valid(app);
        string hs = Hs(app);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, es));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, hs));
        }

        Assert.Equal(2, cache.Validations); // one full validation per token
        Assert.Equal(8, cache.Hits);
        Assert.Equal(2, cache.Count);

        await using var off = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.EnableValidatedTokenCache = false;
        });
        var offCache = Cache(off);
        string token = Forge.Valid(off);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(off, token));
        }

        Assert.Equal(5, offCache.Validations);
        Assert.Equal(0, offCache.Hits);
        Assert.Equal(0, offCache.Count);
    }

    [Fact]
    public async Task A_revoked_token_is_rejected_even_when_cached()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        string token = Hs(app, jti: "\"cached-then-revoked\"");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);

        var store = app.Services.GetRequiredService<ITokenRevocationStore>();
        await store.RevokeAsync("cached-then-revoked", app.Time.GetUtcNow().AddMinutes(10), Ct);

        using (var secure = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(secure, Ct);
        }

        using (var open = await app.Client.SendAsync(AttackCatalogue.Bearer(token, "/open"), Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(open, Ct);
        }

        // Both refusals came from cache hits: the revocation check does not depend on a miss.
        Assert.Equal(3, cache.Hits);
        Assert.Equal(1, cache.Validations);
        var events = app.SecurityEvents.Where(e => e.Id.Id == AuthenticationEvents.TokenRevokedId).ToArray();
        Assert.Equal(2, events.Length);
        Assert.All(events, e => Assert.Contains("cached-then-revoked", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_revocation_store_fails_closed_on_a_cache_hit()
    {
        var broken = new SwitchableStore();
        await using var app = await AuthApp.StartAsync(configuration: null, configure: AuthApp.DefaultKeys,
            services: s => s.AddSingleton<ITokenRevocationStore>(broken));
        string token = Hs(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        broken.Down = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendAsync(app, token));
        Assert.Equal(1, Cache(app).Hits);
    }

    [Fact]
    public async Task A_cached_token_expires_on_time()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        long exp = Forge.Now(app) + 600;
        string token = Hs(app, exp: exp.ToString());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));

        app.Time.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);

        // At exp the entry is gone: the token is validated again (and still accepted within the 30 s skew)...
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Validations);
        Assert.Equal(0, cache.Count); // ...and not cached again, since it is past exp.

        // ...and refused once past exp plus the skew.
        app.Time.Advance(TimeSpan.FromSeconds(31));
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.TokenExpiredId);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task A_cached_token_never_outlives_the_maximum_token_age()
    {
        await using var app = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.MaxTokenAge = TimeSpan.FromMinutes(5);
        });
        var cache = Cache(app);
        string token = Hs(app, exp: (Forge.Now(app) + 3600).ToString());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        app.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);

        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token)); // within the skew, validated again
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Validations);

        app.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task A_key_removed_from_configuration_invalidates_its_cached_tokens()
    {
        var keys = new List<RampartSigningKey>
        {
            RampartSigningKey.FromEcdsa(AuthApp.EsKeyId, AuthApp.EsKey),
            RampartSigningKey.FromSecret(AuthApp.HsKeyId, AuthApp.HsSecret),
        };
        await using var app = await AuthApp.StartAsync(configuration: new Dictionary<string, string?>(), configure: o =>
        {
            o.Issuer = AuthApp.Issuer;
            o.Audiences.Add(AuthApp.Audience);
            foreach (var key in keys)
            {
                o.Keys.Add(key);
            }
        });
        var cache = Cache(app);
        string hs = Hs(app);
        string es = Forge.Valid(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, hs));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, hs));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, es));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(2, cache.Count);

        // The HS256 key is withdrawn (e.g. it leaked) and the configuration reloads.
        keys.RemoveAll(k => k.Id == AuthApp.HsKeyId);
        ((IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>()).Reload();

        using (var response = await app.Client.SendAsync(AttackCatalogue.Bearer(hs), Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        Assert.Equal(1, cache.Hits); // not a hit: the entry went with the key set
        // The remaining key's tokens are validated again under the new key set, then cached again.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, es));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, es));
        Assert.Equal(2, cache.Hits);
        Assert.Equal(3, cache.Validations);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task The_cache_never_grows_past_its_bound_under_a_flood_of_distinct_valid_tokens()
    {
        await using var app = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.ValidatedTokenCacheSize = 100;
        });
        var cache = Cache(app);
        Assert.Equal(100, cache.Capacity);
        var tokens = Enumerable.Range(0, 1000).Select(_ => Hs(app)).ToArray();
        foreach (string token in tokens)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
            Assert.True(cache.Count <= 100, "count " + cache.Count);
        }

        Assert.Equal(100, cache.Count);
        Assert.Equal(1000, cache.Validations);

        // Policy when full: live entries are kept (the first 100 are still hits), new tokens are not cached.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, tokens[0]));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, tokens[999]));
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1001, cache.Validations);

        // Expired entries are swept first: once they are past exp, new tokens are cached again.
        app.Time.Advance(TimeSpan.FromSeconds(601));
        string fresh = Hs(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, fresh));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, fresh));
        Assert.Equal(2, cache.Hits);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task The_bound_holds_under_a_concurrent_flood()
    {
        await using var app = await AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.ValidatedTokenCacheSize = 100;
        });
        var cache = Cache(app);
        var tokens = Enumerable.Range(0, 1000).Select(_ => Hs(app)).ToArray();
        int maxSeen = 0;
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (token, _) =>
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
            int count = cache.Count;
            int seen;
            while (count > (seen = Volatile.Read(ref maxSeen)) && Interlocked.CompareExchange(ref maxSeen, count, seen) != seen)
            {
            }
        });

        Assert.Equal(100, cache.Count);
        Assert.True(maxSeen <= 100, "max seen " + maxSeen);
        Assert.Equal(1000, cache.Validations);
    }

    [Fact]
    public async Task A_tampered_variant_of_a_cached_token_is_not_a_hit_and_is_rejected()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        string token = Forge.Valid(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, cache.Hits);

        foreach (string tampered in new[] { Forge.Tamper(token, 0), Forge.Tamper(token, 1), Forge.Tamper(token, 2), token + "A", token[..^1] })
        {
            Assert.NotEqual(token, tampered);
            using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(tampered), Ct);
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Count);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(2, cache.Hits);
    }

    [Fact]
    public async Task Request_checks_still_apply_to_a_cached_token()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        string token = Forge.Valid(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));

        // Two Authorization headers.
        using (var request = AttackCatalogue.Bearer(token))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await app.Client.SendAsync(request, Ct);
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        Assert.Equal(0, cache.Hits); // refused before the cache is consulted

        // In the query string too.
        using (var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token, "/secure?access_token=" + token), Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        // (ASP.NET Core's own authentication middleware may have authenticated that header — a hit —
        // before Rampart's refused the request for its query string.)
        long hits = cache.Hits;

        // Only in the query string: never read from there, cached or not.
        using (var response = await app.Client.GetAsync("/secure?access_token=" + token, Ct))
        {
            await AttackCatalogueTests.AssertRejectedAsync(response, Ct);
        }

        Assert.Equal(hits, cache.Hits);

        // Another scheme carrying the cached token's text is not a bearer token.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/secure"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + token);
            using var response = await app.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(hits, cache.Hits);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(hits + 1, cache.Hits);
        Assert.Equal(1, cache.Validations);
    }

    [Fact]
    public async Task A_hit_gives_the_same_principal_as_a_full_validation()
    {
        await using var app = await AuthApp.StartAsync();
        var cache = Cache(app);
        string token = Forge.Valid(app);
        string first = await ReadAsync(app, token);
        string second = await ReadAsync(app, token);
        Assert.Equal(1, cache.Hits);
        Assert.Contains("case-sensitive SUB=none sub=alice role=none authenticated=True", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_hit_shares_a_read_only_principal_that_no_request_can_change()
    {
        await using var app = await AuthApp.StartAsync();
        string token = Forge.Valid(app);

        // A full validation: the request's own principal, which it may change (the cache holds a copy made before).
        using (var first = await app.Client.SendAsync(AttackCatalogue.Bearer(token, "/principal/elevate", HttpMethod.Post), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // A hit: the shared principal refuses the change (500, nothing leaks) ...
        using (var second = await app.Client.SendAsync(AttackCatalogue.Bearer(token, "/principal/elevate", HttpMethod.Post), Ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
            Assert.DoesNotContain("read-only", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // ... and neither change reached the cached principal.
        Assert.Contains("role=none", await ReadAsync(app, token), StringComparison.Ordinal);
        Assert.Equal(2, Cache(app).Hits);
    }

    [Fact]
    public void The_shared_principal_refuses_every_change_and_clones_to_a_mutable_copy()
    {
        var source = new System.Security.Claims.ClaimsPrincipal(new Microsoft.IdentityModel.Tokens.CaseSensitiveClaimsIdentity(
            [new System.Security.Claims.Claim("sub", "alice"), new System.Security.Claims.Claim("scope", "orders:read")], "Bearer"));
        var shared = ReadOnlyClaimsPrincipal.TryCreate(source)!;
        var identity = (System.Security.Claims.ClaimsIdentity)shared.Identity!;
        var claim = identity.FindFirst("scope")!;
        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(new System.Security.Claims.Claim("role", "admin")));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([new System.Security.Claims.Claim("role", "admin")]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(claim));
        Assert.Throws<InvalidOperationException>(() => identity.TryRemoveClaim(claim));
        Assert.Throws<InvalidOperationException>(() => shared.AddIdentity(new System.Security.Claims.ClaimsIdentity()));
        Assert.Throws<InvalidOperationException>(() => shared.AddIdentities([new System.Security.Claims.ClaimsIdentity()]));
        Assert.Equal(2, identity.Claims.Count());
        Assert.Single(shared.Identities);
        // Nor through the collections: neither is the base class's own list.
        Assert.IsNotType<List<System.Security.Claims.Claim>>(identity.Claims);
        Assert.IsNotType<List<System.Security.Claims.ClaimsIdentity>>(shared.Identities);
        Assert.Throws<NotSupportedException>(() => ((ICollection<System.Security.Claims.Claim>)identity.Claims).Add(new System.Security.Claims.Claim("scope", "admin:write")));
        Assert.Throws<NotSupportedException>(() => ((ICollection<System.Security.Claims.ClaimsIdentity>)shared.Identities).Add(new System.Security.Claims.ClaimsIdentity("x")));
        Assert.False(shared.HasClaim("scope", "admin:write"));

        Assert.Equal("alice", shared.Subject);
        Assert.Equal("alice", shared.FindFirst("sub")!.Value);
        Assert.Null(shared.FindFirst("SUB")); // case-sensitive, as IdentityModel's identity
        Assert.True(shared.Identity!.IsAuthenticated);

        var copy = shared.Clone();
        ((System.Security.Claims.ClaimsIdentity)copy.Identity!).AddClaim(new System.Security.Claims.Claim("role", "admin"));
        copy.AddIdentity(new System.Security.Claims.ClaimsIdentity());
        Assert.Equal("admin", copy.FindFirst("role")!.Value);
        Assert.Null(shared.FindFirst("role"));
        Assert.Single(shared.Identities);

        // An identity that is not IdentityModel's case-sensitive one is not shared (the cache copies it per request).
        Assert.Null(ReadOnlyClaimsPrincipal.TryCreate(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity("Bearer"))));
        // Nor one with an actor (an identity of its own that stays mutable).
        var delegated = new Microsoft.IdentityModel.Tokens.CaseSensitiveClaimsIdentity([new System.Security.Claims.Claim("sub", "alice")], "Bearer")
        {
            Actor = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "service")]),
        };
        Assert.Null(ReadOnlyClaimsPrincipal.TryCreate(new System.Security.Claims.ClaimsPrincipal(delegated)));
    }

    [Fact]
    public async Task On_a_kept_alive_connection_a_cached_token_hits_and_a_tampered_one_is_still_refused()
    {
        // Kestrel reuses the header's string for a repeated value, and the middleware keeps that string's hash
        // with the connection. Any other text on the same connection must still be hashed and looked up afresh.
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, kestrel: true);
        var cache = Cache(app);
        string token = Forge.Valid(app);
        char last = token[^1];
        string[] tampered =
        [
            token[..^1] + (last == 'A' ? 'B' : 'A'), // same length, last signature character changed
            token + "A",
            token[..^1],
            token.Insert(token.IndexOf('.', StringComparison.Ordinal) + 1, "e"), // a character added to the payload
        ];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        }

        Assert.Equal(2, cache.Hits);
        foreach (string variant in tampered)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, variant));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        }

        Assert.Equal(2 + tampered.Length, cache.Hits);
        Assert.Equal(1, cache.Validations);
    }

    [Fact]
    public void The_connection_keeps_the_hash_of_the_same_header_string_only()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var state = new Dictionary<object, object?>();
        context.Features.Set<Microsoft.AspNetCore.Connections.Features.IPersistentStateFeature>(new PersistentState(state));
        string header = "Bearer " + new string('a', 40);
        var first = RampartAuthenticationMiddleware.HashOf(context, header);
        Assert.Equal(ValidatedTokenCache.Hash(header.AsSpan(7)), first);
        var memo = Assert.IsType<RampartAuthenticationMiddleware.HeaderHash>(Assert.Single(state.Values));
        Assert.Same(header, memo.Header);

        // Equal text in another string instance, or other text: hashed, and the memo follows the latest header.
        string copy = new(header.AsSpan());
        Assert.Equal(first, RampartAuthenticationMiddleware.HashOf(context, copy));
        Assert.Same(copy, ((RampartAuthenticationMiddleware.HeaderHash)state.Values.Single()!).Header);
        string other = "Bearer " + new string('b', 40);
        Assert.Equal(ValidatedTokenCache.Hash(other.AsSpan(7)), RampartAuthenticationMiddleware.HashOf(context, other));
        Assert.NotEqual(first, RampartAuthenticationMiddleware.HashOf(context, other));

        // Without the feature (TestServer, another server) nothing is kept.
        var plain = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        Assert.Equal(first, RampartAuthenticationMiddleware.HashOf(plain, header));
    }

    private sealed class PersistentState(IDictionary<object, object?> state) : Microsoft.AspNetCore.Connections.Features.IPersistentStateFeature
    {
        public IDictionary<object, object?> State { get; } = state;
    }

    [Fact]
    public async Task A_hit_runs_no_authentication_handler_and_a_miss_runs_it_once()
    {
        // Rampart's middleware answers hits itself, and WebApplication must not add ASP.NET Core's authentication
        // middleware in front of it (which would run the JwtBearer handler over every token a second time).
        var counter = new HandlerCounter();
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, services =>
        {
            services.AddSingleton(counter);
            services.AddScoped<IAuthenticationHandlerProvider, CountingHandlerProvider>();
        });
        string token = Forge.Valid(app);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        Assert.Equal(1, counter.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, token));
        }

        Assert.Equal(1, counter.Count);
        Assert.Equal(3, Cache(app).Hits);
        Assert.Equal(1, Cache(app).Validations);
    }

    [Fact]
    public async Task A_claims_transformation_applies_to_cached_tokens_too()
    {
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys,
            services => services.AddTransient<IClaimsTransformation, AddsUpperCaseSub>());
        string token = Forge.Valid(app);
        string first = await ReadAsync(app, token);
        string second = await ReadAsync(app, token);
        Assert.Equal(1, Cache(app).Hits);
        Assert.Contains("SUB=transformed sub=alice", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Scoped_transformations_and_revocation_stores_are_resolved_in_the_request_scope()
    {
        // Development validates scopes: resolving either from the root provider would fail (at start-up or on a hit).
        var shared = new InMemoryTokenRevocationStore();
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, services =>
        {
            services.AddScoped<IClaimsTransformation, AddsUpperCaseSub>();
            services.AddScoped<ITokenRevocationStore>(_ => new ScopedStore(shared));
        });
        var issued = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        string first = await ReadAsync(app, issued.Token);
        string second = await ReadAsync(app, issued.Token);
        Assert.Contains("SUB=transformed", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(1, Cache(app).Hits);

        await shared.RevokeAsync(issued.Id, issued.ExpiresAt, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, issued.Token, "/principal"));
    }

    private sealed class ScopedStore(ITokenRevocationStore inner) : ITokenRevocationStore
    {
        public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken) =>
            inner.IsRevokedAsync(tokenId, subject, issuedAt, cancellationToken);

        public ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) => inner.RevokeAsync(tokenId, expiresAt, cancellationToken);

        public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken) =>
            inner.RevokeSubjectAsync(subject, notBefore, keepUntil, cancellationToken);
    }

    [Fact]
    public async Task A_scoped_revocation_store_on_the_cached_path_is_the_request_s()
    {
        var shared = new InMemoryTokenRevocationStore();
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys,
            services => services.AddScoped<ITokenRevocationStore>(_ => new ScopedStore(shared)));
        var issued = app.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(app, issued.Token));
        }

        Assert.Equal(2, Cache(app).Hits);
        await shared.RevokeAsync(issued.Id, issued.ExpiresAt, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, issued.Token));
    }

    [Fact]
    public async Task A_scheme_with_remote_callbacks_still_gets_the_authentication_middleware()
    {
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys,
            services => services.AddAuthentication(o => o.AddScheme<CallbackHandler>("callback", displayName: null)));
        using var response = await app.Client.GetAsync("/signin-callback", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("callback handled", await response.Content.ReadAsStringAsync(Ct));

        // And bearer tokens are still checked by Rampart's middleware.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, Forge.Valid(app)));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, Forge.Valid(app) + "x"));
    }

    private sealed class HandlerCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHandlerProvider(IAuthenticationSchemeProvider schemes, HandlerCounter counter) : IAuthenticationHandlerProvider
    {
        private readonly AuthenticationHandlerProvider _inner = new(schemes);

        public Task<IAuthenticationHandler?> GetHandlerAsync(Microsoft.AspNetCore.Http.HttpContext context, string authenticationScheme)
        {
            counter.Add();
            return _inner.GetHandlerAsync(context, authenticationScheme);
        }
    }

    private sealed class AddsUpperCaseSub : IClaimsTransformation
    {
        public Task<System.Security.Claims.ClaimsPrincipal> TransformAsync(System.Security.Claims.ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            copy.AddIdentity(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("SUB", "transformed")]));
            return Task.FromResult(copy);
        }
    }

    private sealed class CallbackHandler : IAuthenticationHandler, IAuthenticationRequestHandler
    {
        private Microsoft.AspNetCore.Http.HttpContext _context = null!;

        public Task InitializeAsync(AuthenticationScheme scheme, Microsoft.AspNetCore.Http.HttpContext context)
        {
            _context = context;
            return Task.CompletedTask;
        }

        public async Task<bool> HandleRequestAsync()
        {
            if (_context.Request.Path != "/signin-callback")
            {
                return false;
            }

            await _context.Response.WriteAsync("callback handled", _context.RequestAborted);
            return true;
        }

        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(AuthenticationProperties? properties) => Task.CompletedTask;
    }

    private static async Task<string> ReadAsync(AuthApp app, string token)
    {
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token, "/principal"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task The_cache_is_configured_from_the_section_and_checked_at_start_up()
    {
        await using (var app = await AuthApp.StartAsync(new Dictionary<string, string?>
        {
            ["Rampart:Authentication:EnableValidatedTokenCache"] = "false",
            ["Rampart:Authentication:ValidatedTokenCacheSize"] = "50",
        }, AuthApp.DefaultKeys))
        {
            var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RampartAuthenticationOptions>>().Value;
            Assert.False(options.EnableValidatedTokenCache);
            Assert.Equal(50, options.ValidatedTokenCacheSize);
            Assert.Equal(50, Cache(app).Capacity);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => AuthApp.StartAsync(o =>
        {
            AuthApp.DefaultKeys(o);
            o.ValidatedTokenCacheSize = 0;
        }));
        Assert.Contains("ValidatedTokenCacheSize", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(RampartAuthenticationOptions.DefaultValidatedTokenCacheSize, new RampartAuthenticationOptions().ValidatedTokenCacheSize);
        Assert.True(new RampartAuthenticationOptions().EnableValidatedTokenCache);
    }

    private sealed class SwitchableStore : ITokenRevocationStore
    {
        public volatile bool Down;

        public ValueTask<bool> IsRevokedAsync(string tokenId, string? subject, DateTimeOffset? issuedAt, CancellationToken cancellationToken) =>
            Down ? throw new InvalidOperationException("store down") : ValueTask.FromResult(false);

        public ValueTask RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset notBefore, DateTimeOffset keepUntil, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

/// <summary>Reports how the caller's principal behaves: its identity type, and whether claim look-ups are case-sensitive.</summary>
[SecureEndpoint("GET", "/principal", Permission = "orders:read")]
public sealed partial record PrincipalShape
{
    static Pong Handle(Microsoft.AspNetCore.Http.HttpContext context) =>
        new((context.User.Identity is Microsoft.IdentityModel.Tokens.CaseSensitiveClaimsIdentity ? "case-sensitive" : "case-insensitive")
            + " SUB=" + (context.User.FindFirst("SUB")?.Value ?? "none") + " sub=" + context.User.FindFirst("sub")?.Value
            + " role=" + (context.User.FindFirst("role")?.Value ?? "none") + " authenticated=" + context.User.Identity!.IsAuthenticated);
}

/// <summary>An endpoint that tries to add a claim to its caller's principal.</summary>
[SecureEndpoint("POST", "/principal/elevate", Permission = "orders:read")]
public sealed partial record PrincipalMutation
{
    static Pong Handle(Microsoft.AspNetCore.Http.HttpContext context)
    {
        ((System.Security.Claims.ClaimsIdentity)context.User.Identity!).AddClaim(new System.Security.Claims.Claim("role", "admin"));
        return new("elevated");
    }
}
