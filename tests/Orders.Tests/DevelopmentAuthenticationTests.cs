using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orders.Development;
using Rampart.Authentication;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// The sample's development experience (issue 3, point 5): in Development a generated ES256 key, kept in
/// the data folder and reused; a token from <see cref="ITokenIssuer"/> or the <c>token</c> command calls the
/// protected <c>GET /api/v1/me</c>; outside Development no key means no start-up and no token command.
/// </summary>
public sealed class DevelopmentAuthenticationTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "orders-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private string KeyFile => Path.Combine(_dataPath, DevelopmentSigningKey.FileName);

    private WebApplicationFactory<Program> Factory(string environment = "Development", params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting(DevelopmentSigningKey.DataPathKey, _dataPath);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private static async Task<HttpResponseMessage> GetMe(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_token_from_the_issuer_calls_the_protected_endpoint()
    {
        using var factory = Factory();
        var client = factory.CreateClient();
        string token = factory.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read", "orders:write"]).Token;

        using var response = await GetMe(client, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("alice", body.RootElement.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        using var factory = Factory();
        var client = factory.CreateClient();

        using var response = await GetMe(client, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_without_the_permission_is_403()
    {
        using var factory = Factory();
        var client = factory.CreateClient();
        string token = factory.Services.GetRequiredService<ITokenIssuer>().Issue("bob", ["orders:write"]).Token;

        using var response = await GetMe(client, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_sample_endpoints_stay_anonymous()
    {
        using var factory = Factory();
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void No_development_key_is_added_beside_a_configured_authority()
    {
        // Pointed at an authorization server, the API must trust only that server's keys: a development key
        // beside them would let the sample's own token command mint tokens under the server's issuer.
        using var factory = Factory("Development", ("Rampart:Authentication:Authority", "https://auth.example/"));
        _ = factory.Server;

        var options = factory.Services.GetRequiredService<IOptionsMonitor<RampartAuthenticationOptions>>().CurrentValue;

        Assert.Empty(options.Keys);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task The_jwks_document_is_public_despite_the_fallback_policy()
    {
        // Resource servers fetch the JWKS without credentials; the fallback policy (authenticated
        // caller required outside Rampart contracts) must not close it.
        using var factory = Factory();
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var key = Assert.Single(body.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task An_invalid_bearer_token_is_401_and_never_logged()
    {
        const string Canary = "CANARYx7f3a9";
        var logs = new System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)>();
        using var factory = Factory().WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.AddProvider(new CapturingProvider(logs)))));
        var client = factory.CreateClient();

        using var response = await GetMe(client, Canary);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(Canary, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Category == "Rampart.Security");
        Assert.DoesNotContain(logs, l => l.Message.Contains(Canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_development_key_is_created_once_and_reused()
    {
        Assert.False(File.Exists(KeyFile));
        string token;
        string keyId;
        using (var first = Factory())
        {
            _ = first.CreateClient();
            keyId = SigningKeyId(first);
            token = first.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]).Token;
        }

        Assert.True(File.Exists(KeyFile));
        string pem = await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        using var second = Factory();
        var client = second.CreateClient();

        Assert.Equal(keyId, SigningKeyId(second));
        Assert.Equal(pem, await File.ReadAllTextAsync(KeyFile, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(_dataPath));
        using var response = await GetMe(client, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Configured_keys_win_over_the_development_key()
    {
        string secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var factory = Factory(settings: [("Rampart:Authentication:Keys:0:Id", "configured"), ("Rampart:Authentication:Keys:0:Secret", secret), ("Rampart:Authentication:Keys:0:Algorithm", "HS256")]);
        _ = factory.CreateClient();

        Assert.Equal("configured", SigningKeyId(factory));
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_start_up_fails_without_keys(string environment)
    {
        using var factory = Factory(environment, ("Rampart:Authentication:Issuer", "https://login.example.com"), ("Rampart:Authentication:Audience", "orders-api"));

        var exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        string messages = string.Join(" | ", Chain(exception).Select(e => e.Message));
        Assert.Contains("Rampart:Authentication: at least one key is required", messages, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataPath));
    }

    [Fact]
    public void Outside_development_start_up_fails_without_any_authentication_settings()
    {
        using var factory = Factory("Production");

        var exception = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        string messages = string.Join(" | ", Chain(exception).Select(e => e.Message));
        Assert.Contains("Rampart:Authentication: Issuer is required", messages, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataPath));
    }

    [Fact]
    public async Task The_token_command_prints_a_working_token_in_development()
    {
        using var factory = Factory();
        var client = factory.CreateClient();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = TokenCommand.Run(
            factory.Services.GetRequiredService<IHostEnvironment>(), factory.Services,
            ["token", "--sub", "alice", "--scope", "orders:read orders:write"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        string token = output.ToString().TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', token);
        using var response = await GetMe(client, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "--sub")]
    [InlineData("token", "--scope", "orders:read")]
    [InlineData("token", "--sub", "alice", "--admin", "true")]
    [InlineData("token", "--sub", "alice", "--minutes", "0")]
    public void The_token_command_refuses_bad_arguments(params string[] args)
    {
        using var factory = Factory();
        _ = factory.CreateClient();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = TokenCommand.Run(factory.Services.GetRequiredService<IHostEnvironment>(), factory.Services, args, output, error);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("usage: token --sub", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_command_refuses_outside_development()
    {
        var environment = new HostingEnvironment { EnvironmentName = Environments.Production };
        using var services = new ServiceCollection().BuildServiceProvider();   // nothing may be resolved
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = TokenCommand.Run(environment, services, ["token", "--sub", "alice", "--scope", "orders:read"], output, error);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("only in the Development environment", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class CapturingProvider(System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((category, formatter(state, exception) + " " + exception + " " + string.Join(" ", (state as System.Collections.Generic.IEnumerable<System.Collections.Generic.KeyValuePair<string, object?>>)?.Select(p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)) ?? [])));
        }
    }

    private static string SigningKeyId(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value.SigningKey!.Id;

    private static System.Collections.Generic.IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
