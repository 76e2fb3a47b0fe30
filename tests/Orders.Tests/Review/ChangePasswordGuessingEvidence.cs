using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orders.Development;
using Xunit;

namespace Orders.Tests.Review;

/// <summary>
/// Review evidence (not a fix): POST /api/v1/auth/password checks the current password without the account
/// throttle the login uses. With alice's access token (stolen, or an unlocked device) her password can be
/// guessed at 5 a minute for as long as the token (and its refresh) lives, where the login locks after 5.
/// </summary>
public sealed class ChangePasswordGuessingEvidence : IDisposable
{
    private const string AlicePassword = "alice-test-password-7Q2x";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "orders-review-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly WebApplicationFactory<Program> _factory;

    public ChangePasswordGuessingEvidence()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(DevelopmentSigningKey.DataPathKey, _dataPath);
            builder.UseSetting("Rampart:Data:DataDirectory", _dataPath);
            builder.UseSetting("Orders:SeedUsers:0:Password", AlicePassword);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(_time);
                services.AddSingleton<IStartupFilter, SimulatedPeerStartupFilter>();
            });
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _factory.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private async Task<HttpStatusCode> PostAsync(string peer, string path, object body, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add(SimulatedPeerStartupFilter.Header, peer);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await _factory.CreateClient().SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Wrong_current_passwords_are_not_counted_by_the_account_throttle()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { userName = "alice", password = AlicePassword }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SimulatedPeerStartupFilter.Header, "10.9.0.1");
        using var login = await _factory.CreateClient().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string access = JsonDocument.Parse(await login.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("access_token").GetString()!;

        // Twelve guesses at alice's password, five a minute (the endpoint's own limit): each one is checked.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(61));
            }

            statuses.Add(await PostAsync("10.9.0.2", "/api/v1/auth/password", new { currentPassword = "guess-" + i, newPassword = "a-new-password-123" }, access));
        }

        // The login throttles alice after 5 wrong passwords (429 and a growing lock); these 12 went unthrottled
        // (403 "current password is incorrect" each time) and alice's account is not even locked.
        Assert.Equal(HttpStatusCode.OK, await PostAsync("10.9.0.3", "/api/v1/auth/token", new { userName = "alice", password = AlicePassword }));
        Assert.DoesNotContain(HttpStatusCode.Forbidden, statuses.GetRange(5, 7));
    }
}
