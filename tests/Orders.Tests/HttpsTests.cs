using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// A real Kestrel with a TLS listener (self-signed certificate made here) and a plain-HTTP one,
/// in the Production environment: HTTPS works and sends HSTS, plain HTTP is refused.
/// </summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task Plain_http_is_refused_outside_development_and_https_gets_hsts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.AddRampart();
        await using var app = builder.Build();
        app.UseRampart();
        app.MapGet("/ping", () => "pong").AllowAnonymous();
        await app.StartAsync(ct);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        string https = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        string http = addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal));

        // Trust exactly the certificate made for this test, nothing else.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var client = new HttpClient(handler);

        // HSTS is never sent to localhost names (it would pin the developer's machine), so ask for a real host name.
        using var secureRequest = new HttpRequestMessage(HttpMethod.Get, https + "/ping");
        secureRequest.Headers.Host = "api.example.test";
        using var secure = await client.SendAsync(secureRequest, ct);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("pong", await secure.Content.ReadAsStringAsync(ct));
        Assert.Equal("max-age=31536000; includeSubDomains", string.Join(",", secure.Headers.GetValues("Strict-Transport-Security")));

        using var plainRequest = new HttpRequestMessage(HttpMethod.Get, http + "/ping");
        plainRequest.Headers.Host = "api.example.test";
        using var plain = await client.SendAsync(plainRequest, ct);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Null(plain.Headers.Location); // refused, not redirected
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        using var problem = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(ct));
        Assert.Equal("This API is served over HTTPS only.", problem.RootElement.GetProperty("detail").GetString());
        Assert.True(plain.Headers.Contains("X-Content-Type-Options"));

        await app.StopAsync(ct);
    }

    [Fact]
    public async Task Development_serves_plain_http()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddRampart();
        await using var app = builder.Build();
        app.UseRampart();
        app.MapGet("/ping", () => "pong").AllowAnonymous();
        await app.StartAsync(ct);
        string http = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var client = new HttpClient();
        using var response = await client.GetAsync(http + "/ping", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync(ct);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
