using System;
using System.Data.Common;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Orders.Auth;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// A user who is removed, disabled, demoted or changes their password loses what they held at once: refresh
/// re-checks the user on every use (narrowing the scopes to what the user holds now), and a password change or
/// a removal revokes every refresh-token family and every access token of the user. On SQLite and PostgreSQL,
/// with the factory and helpers of the login tests.
/// </summary>
public sealed partial class AuthFlowTests
{
    private const string CarolPassword = "carol-test-password-3Hn8";

    // alice: orders:read orders:write; bob: orders:read; carol: an administrator.
    private async Task<WebApplicationFactory<Program>> FactoryWithAdminAsync(string provider)
    {
        var factory = await FactoryAsync(provider);
        _ = factory.CreateClient(); // started: the users table exists
        Assert.True(await factory.Services.GetRequiredService<UserStore>().AddIfMissingAsync("carol", CarolPassword, "admin:* orders:read", Ct));
        return factory;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return client.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string access, string current, string next) =>
        PostJsonAsync(client, "/api/v1/auth/password", JsonSerializer.Serialize(new { currentPassword = current, newPassword = next }), access);

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> CreateOrderAsync(HttpClient client, string access) =>
        await StatusAsync(PostJsonAsync(client, "/api/v1/orders", """{"productId":"ABCD1234","quantity":1}""", access));

    private static async Task ExecuteAsync(WebApplicationFactory<Program> factory, string sql)
    {
        await using var command = factory.Services.GetRequiredService<DbDataSource>().CreateCommand(sql);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_deleted_user_cannot_refresh_and_the_login_is_revoked(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));

        await ExecuteAsync(factory, "DELETE FROM auth_users WHERE user_name = 'alice'");

        // The same answer as for a bad refresh token, and nothing was minted: no order can be created.
        using (var refused = await RefreshAsync(client, alice.Refresh))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(1, Events(AuthenticationEvents.RefreshRefusedId));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.RefreshRefusedId && l.Message.Contains("user_not_found", StringComparison.Ordinal));

        // The family is revoked with its access token; bob is untouched.
        Assert.Equal(HttpStatusCode.Unauthorized, await CreateOrderAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
        Assert.Equal("orders:read", (await ReadTokensAsync(await RefreshAsync(client, bob.Refresh))).Scope);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_disabled_user_can_neither_refresh_nor_log_in(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));

        await ExecuteAsync(factory, "UPDATE auth_users SET enabled = FALSE WHERE user_name = 'alice'");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, alice.Refresh)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.RefreshRefusedId && l.Message.Contains("user_disabled", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failing_user_store_on_refresh_is_503_and_spends_nothing(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        await using (var rename = factory.Services.GetRequiredService<DbDataSource>().CreateCommand("ALTER TABLE auth_users RENAME TO auth_users_away"))
        {
            await rename.ExecuteNonQueryAsync(Ct);
        }

        // The validator cannot read the user: not a refusal, nothing revoked, nothing spent.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(RefreshAsync(client, login.Refresh)));
        Assert.Equal(0, Events(AuthenticationEvents.RefreshRefusedId));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, login.Access));

        await using (var back = factory.Services.GetRequiredService<DbDataSource>().CreateCommand("ALTER TABLE auth_users_away RENAME TO auth_users"))
        {
            await back.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal("orders:read orders:write", (await ReadTokensAsync(await RefreshAsync(client, login.Refresh))).Scope);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_demoted_user_gets_only_the_scopes_they_still_hold_on_refresh(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var login = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        Assert.Equal("orders:read orders:write", login.Scope);

        // Demoted, and given a permission the login never asked for.
        await ExecuteAsync(factory, "UPDATE auth_users SET scope = 'orders:read admin:read' WHERE user_name = 'alice'");

        var narrowed = await ReadTokensAsync(await RefreshAsync(client, login.Refresh));
        Assert.Equal("orders:read", narrowed.Scope);   // narrowed, never widened beyond the login's grant
        Assert.Equal("orders:read", new JsonWebToken(narrowed.Access).GetClaim("scope").Value);
        Assert.Equal(HttpStatusCode.Forbidden, await CreateOrderAsync(client, narrowed.Access));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, narrowed.Access));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(SendAsync(client, HttpMethod.Get, "/api/v1/admin/users", narrowed.Access)));

        // Promoted back: the login's original grant is the ceiling, and it is reached again.
        await ExecuteAsync(factory, "UPDATE auth_users SET scope = 'orders:read orders:write' WHERE user_name = 'alice'");
        var restored = await ReadTokensAsync(await RefreshAsync(client, narrowed.Refresh));
        Assert.Equal("orders:read orders:write", restored.Scope);
        Assert.Equal(HttpStatusCode.Created, await CreateOrderAsync(client, restored.Access));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_password_change_revokes_every_token_of_the_user_at_once_and_the_new_password_works(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var first = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var second = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));   // another device
        var rotated = await ReadTokensAsync(await RefreshAsync(client, second.Refresh));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));
        const string NewPassword = "alice-new-password-5Rt1";

        // The current password is required.
        using (var wrong = await ChangePasswordAsync(client, first.Access, "not-" + AlicePassword, NewPassword))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, first.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(ChangePasswordAsync(client, "not-a-token", AlicePassword, NewPassword)));

        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(ChangePasswordAsync(client, first.Access, AlicePassword, NewPassword)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.SubjectRevokedId && l.Message.Contains("password_changed", StringComparison.Ordinal));

        // Every access token and refresh token of alice, of both logins, is refused at once.
        foreach (string access in new[] { first.Access, second.Access, rotated.Access })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, access));
        }

        foreach (string refresh in new[] { first.Refresh, rotated.Refresh })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, refresh)));
        }

        // The old password no longer works, the new one does, and its tokens are accepted at once.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
        var fresh = await ReadTokensAsync(await LoginAsync(client, "alice", NewPassword));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, fresh.Access));
        Assert.Equal(HttpStatusCode.Created, await CreateOrderAsync(client, fresh.Access));
        var freshRotated = await ReadTokensAsync(await RefreshAsync(client, fresh.Refresh));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, freshRotated.Access));

        // bob is untouched; no password reached a log line.
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
        Assert.DoesNotContain(_logs, l => l.Message.Contains(NewPassword, StringComparison.Ordinal) || l.Message.Contains(AlicePassword, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_administrator_removes_a_user_and_everything_of_that_user_is_revoked(string provider)
    {
        using var factory = await FactoryWithAdminAsync(provider);
        var client = factory.CreateClient();
        var alice = await ReadTokensAsync(await LoginAsync(client, "alice", AlicePassword));
        var bob = await ReadTokensAsync(await LoginAsync(client, "bob", BobPassword));
        var carol = await ReadTokensAsync(await LoginAsync(client, "carol", CarolPassword));

        // Only an administrator may remove users.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(SendAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", bob.Access)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SendAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice")));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, alice.Access));

        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(SendAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", carol.Access)));
        Assert.Contains(_logs, l => l.Id.Id == AuthenticationEvents.SubjectRevokedId && l.Message.Contains("user_removed", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, alice.Access));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(RefreshAsync(client, alice.Refresh)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(LoginAsync(client, "alice", AlicePassword)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(SendAsync(client, HttpMethod.Delete, "/api/v1/admin/users/alice", carol.Access)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, bob.Access));
    }
}
