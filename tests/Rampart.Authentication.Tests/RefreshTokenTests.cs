using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Rampart.Logging;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>Refresh-token rotation, reuse detection, absolute lifetime and logout, against both stores.</summary>
public sealed class RefreshTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => new() { "Sqlite", "Memory" };

    private static Task<AuthApp> StartAsync(string store) =>
        AuthApp.StartAsync(new Dictionary<string, string?> { ["Rampart:Authentication:Store"] = store }, AuthApp.DefaultKeys);

    private static RefreshTokenService Service(AuthApp app) => app.Services.GetRequiredService<RefreshTokenService>();

    private static async Task<HttpStatusCode> SendAsync(AuthApp app, string token)
    {
        using var response = await app.Client.SendAsync(AttackCatalogue.Bearer(token), Ct);
        return response.StatusCode;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Rotation_returns_a_new_pair_of_the_same_subject_and_scope_and_the_old_token_is_single_use(string store)
    {
        await using var app = await StartAsync(store);
        var first = await Service(app).IssueAsync("alice", ["orders:read", "orders:write"], Ct);
        // Opaque, 256 bits of randomness, base64url.
        Assert.Equal(43, first.RefreshToken.Length);
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(first.RefreshToken).Length);
        Assert.DoesNotContain('.', first.RefreshToken);

        var second = await Service(app).RefreshAsync(first.RefreshToken, "test", Ct);
        Assert.NotNull(second);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(first.AccessToken.Id, second.AccessToken.Id);
        Assert.Equal(first.RefreshTokenExpiresAt, second.RefreshTokenExpiresAt); // absolute: never extended
        var claims = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(second.AccessToken.Token);
        Assert.Equal("alice", claims.Subject);
        Assert.Equal("orders:read orders:write", claims.GetClaim("scope").Value);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, second.AccessToken.Token));

        var third = await Service(app).RefreshAsync(second.RefreshToken, "test", Ct);
        Assert.NotNull(third);
        Assert.Null(await Service(app).RefreshAsync((third.RefreshToken[0] == 'x' ? "y" : "x") + third.RefreshToken[1..], "test", Ct)); // unknown (one character changed)
        Assert.Null(await Service(app).RefreshAsync("short", "test", Ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reuse_of_a_used_refresh_token_revokes_the_family_and_its_access_tokens_and_logs_event_1010(string store)
    {
        await using var app = await StartAsync(store);
        var first = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        var second = (await Service(app).RefreshAsync(first.RefreshToken, "203.0.113.9", Ct))!;
        var other = await Service(app).IssueAsync("alice", ["orders:read"], Ct); // another login: untouched
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, second.AccessToken.Token));

        // The stolen first token is replayed.
        Assert.Null(await Service(app).RefreshAsync(first.RefreshToken, "198.51.100.7", Ct));

        var reuse = Assert.Single(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
        Assert.Contains("alice", reuse.Message, StringComparison.Ordinal);
        Assert.Contains("198.51.100.7", reuse.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(first.RefreshToken, reuse.Message, StringComparison.Ordinal);
        // The whole family is dead: the legitimate holder's current refresh token and both access tokens.
        Assert.Null(await Service(app).RefreshAsync(second.RefreshToken, "test", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, second.AccessToken.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, first.AccessToken.Token));
        // The other login is not affected.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, other.AccessToken.Token));
        Assert.NotNull(await Service(app).RefreshAsync(other.RefreshToken, "test", Ct));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Of_many_concurrent_uses_of_one_refresh_token_exactly_one_wins(string store)
    {
        await using var app = await StartAsync(store);
        var pair = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await Service(app).RefreshAsync(pair.RefreshToken, "test", Ct);
        }, Ct)).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is not null);
        // The losers are reuses: the family (winner's new tokens included) is revoked, as a replay would be.
        Assert.Contains(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
        var winner = results.Single(r => r is not null)!;
        Assert.Null(await Service(app).RefreshAsync(winner.RefreshToken, "test", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, winner.AccessToken.Token));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_family_ends_at_its_absolute_lifetime_however_often_it_is_rotated(string store)
    {
        await using var app = await StartAsync(store);
        var pair = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        Assert.Equal(AuthApp.Start + RampartAuthenticationOptions.DefaultRefreshTokenLifetime, pair.RefreshTokenExpiresAt);
        for (int day = 0; day < 13; day++)
        {
            app.Time.Advance(TimeSpan.FromDays(1));
            pair = (await Service(app).RefreshAsync(pair.RefreshToken, "test", Ct))!;
            Assert.NotNull(pair);
        }

        app.Time.Advance(TimeSpan.FromDays(1));
        Assert.Null(await Service(app).RefreshAsync(pair.RefreshToken, "test", Ct));
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Logout_revokes_the_family_of_the_access_token(string store)
    {
        await using var app = await StartAsync(store);
        var first = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
        var second = (await Service(app).RefreshAsync(first.RefreshToken, "test", Ct))!;
        Assert.True(await Service(app).RevokeFamilyOfAccessTokenAsync(second.AccessToken.Id, Ct));
        Assert.False(await Service(app).RevokeFamilyOfAccessTokenAsync("unknown-jti", Ct));
        Assert.Null(await Service(app).RefreshAsync(second.RefreshToken, "test", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app, second.AccessToken.Token));
        // A revoked family's token presented again is not a reuse event (the family is already dead).
        Assert.DoesNotContain(app.SecurityEvents, e => e.Id.Id == AuthenticationEvents.RefreshReuseDetectedId);
    }

    [Fact]
    public async Task The_sqlite_store_keeps_only_the_sha256_of_refresh_tokens()
    {
        string database = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rampart-refresh-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using (var app = await AuthApp.StartAsync(new Dictionary<string, string?> { ["Rampart:Authentication:ConnectionString"] = "Data Source=" + database }, AuthApp.DefaultKeys))
            {
                var pair = await Service(app).IssueAsync("alice", ["orders:read"], Ct);
                var next = (await Service(app).RefreshAsync(pair.RefreshToken, "test", Ct))!;
                Assert.IsType<SqliteRefreshTokenStore>(app.Services.GetRequiredService<IRefreshTokenStore>());

                await using var connection = new SqliteConnection("Data Source=" + database);
                await connection.OpenAsync(Ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT token_hash FROM rampart_refresh_tokens ORDER BY used_at IS NULL";
                var hashes = new List<byte[]>();
                await using (var reader = await command.ExecuteReaderAsync(Ct))
                {
                    while (await reader.ReadAsync(Ct))
                    {
                        hashes.Add((byte[])reader[0]);
                    }
                }

                Assert.Equal([SHA256.HashData(Encoding.UTF8.GetBytes(pair.RefreshToken)), SHA256.HashData(Encoding.UTF8.GetBytes(next.RefreshToken))], hashes);
                SqliteConnection.ClearAllPools();
                byte[] file = await System.IO.File.ReadAllBytesAsync(database, Ct);
                Assert.Equal(-1, IndexOf(file, Encoding.ASCII.GetBytes(pair.RefreshToken)));
                Assert.Equal(-1, IndexOf(file, Encoding.ASCII.GetBytes(next.RefreshToken)));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            System.IO.File.Delete(database);
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
