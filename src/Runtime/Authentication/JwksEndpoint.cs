using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// Writes the JWKS document (RFC 7517) of the configured asymmetric keys: public parameters only, each
/// with its <c>kid</c>, its single <c>alg</c> and <c>use: sig</c>. Symmetric keys are never published.
/// The parameters are exported with <c>includePrivateParameters: false</c>, so a private key cannot
/// leak through this document whatever the key object holds.
/// </summary>
internal static class JwksEndpoint
{
    public static async Task WriteAsync(HttpContext context)
    {
        var services = context.RequestServices;
        // Rebuilds the profile first when the configuration has changed, so a rotation is published at once.
        _ = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var options = services.GetRequiredService<SigningKeyRing>().Current?.Options
            ?? services.GetRequiredService<IOptions<RampartAuthenticationOptions>>().Value;

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, options);
        }

        context.Response.ContentType = "application/jwk-set+json";
        // Short, so clients see a rotation soon; RFC 7517 clients refetch on an unknown kid anyway.
        context.Response.Headers.CacheControl = "public, max-age=300";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    internal static void Write(Utf8JsonWriter writer, RampartAuthenticationOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (var key in options.Keys)
        {
            switch (key.Key)
            {
                case ECDsaSecurityKey ec:
                    var p = ec.ECDsa.ExportParameters(includePrivateParameters: false);
                    writer.WriteStartObject();
                    writer.WriteString("kty", "EC");
                    writer.WriteString("use", "sig");
                    writer.WriteString("kid", key.Id);
                    writer.WriteString("alg", key.Algorithm);
                    writer.WriteString("crv", ec.ECDsa.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" });
                    writer.WriteString("x", Base64UrlEncoder.Encode(p.Q.X!));
                    writer.WriteString("y", Base64UrlEncoder.Encode(p.Q.Y!));
                    writer.WriteEndObject();
                    break;
                case RsaSecurityKey rsa when rsa.Rsa is not null:
                    var r = rsa.Rsa.ExportParameters(includePrivateParameters: false);
                    writer.WriteStartObject();
                    writer.WriteString("kty", "RSA");
                    writer.WriteString("use", "sig");
                    writer.WriteString("kid", key.Id);
                    writer.WriteString("alg", key.Algorithm);
                    writer.WriteString("n", Base64UrlEncoder.Encode(r.Modulus!));
                    writer.WriteString("e", Base64UrlEncoder.Encode(r.Exponent!));
                    writer.WriteEndObject();
                    break;
                default:
                    break; // symmetric: a shared secret, never published
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
