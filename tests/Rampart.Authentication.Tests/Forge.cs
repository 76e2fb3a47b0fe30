using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication.Tests;

/// <summary>
/// Builds hostile tokens by hand (test code only): raw JSON segments, so duplicated members, wrong
/// types and odd headers can be written, encoded with IdentityModel's <see cref="Base64UrlEncoder"/>.
/// </summary>
internal static class Forge
{
    public const string EsHeader = """{"alg":"ES256","typ":"at+jwt","kid":"es-1"}""";

    public static long Now(AuthApp app) => app.Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>A valid payload at the app's current time; <paramref name="replace"/> edits the JSON text.</summary>
    public static string Payload(AuthApp app, string extra = "", string sub = "\"alice\"", string? exp = null, string? nbf = null, string? iat = null,
        string iss = "\"" + AuthApp.Issuer + "\"", string aud = "\"" + AuthApp.Audience + "\"", string? jti = null)
    {
        long now = Now(app);
        var parts = new System.Collections.Generic.List<string>();
        if (iss.Length > 0)
        {
            parts.Add("\"iss\":" + iss);
        }

        if (aud.Length > 0)
        {
            parts.Add("\"aud\":" + aud);
        }

        if (sub.Length > 0)
        {
            parts.Add("\"sub\":" + sub);
        }

        parts.Add("\"iat\":" + (iat ?? now.ToString()));
        parts.Add("\"nbf\":" + (nbf ?? now.ToString()));
        if (exp != "")
        {
            parts.Add("\"exp\":" + (exp ?? (now + 600).ToString()));
        }

        jti ??= "\"" + Guid.NewGuid().ToString("N") + "\"";
        if (jti.Length > 0)
        {
            parts.Add("\"jti\":" + jti);
        }

        parts.Add("\"scope\":\"orders:read orders:write\"");
        if (extra.Length > 0)
        {
            parts.Add(extra);
        }

        return "{" + string.Join(",", parts) + "}";
    }

    public static string SigningInput(string headerJson, string payloadJson) =>
        Base64UrlEncoder.Encode(headerJson) + "." + Base64UrlEncoder.Encode(payloadJson);

    /// <summary>Signs with ES256 (IEEE P1363 r‖s, as JWS requires).</summary>
    public static string Es256(string headerJson, string payloadJson, ECDsa? key = null)
    {
        string input = SigningInput(headerJson, payloadJson);
        byte[] signature = (key ?? AuthApp.EsKey).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return input + "." + Base64UrlEncoder.Encode(signature);
    }

    public static string Hs256(string headerJson, string payloadJson, byte[] secret)
    {
        string input = SigningInput(headerJson, payloadJson);
        return input + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(string headerJson, string payloadJson) => SigningInput(headerJson, payloadJson) + ".";

    /// <summary>A valid ES256 token with the standard header and payload.</summary>
    public static string Valid(AuthApp app) => Es256(EsHeader, Payload(app));

    /// <summary>Replaces one character in the middle of a segment with a different base64url character.</summary>
    public static string Tamper(string token, int segment)
    {
        string[] parts = token.Split('.');
        char[] chars = parts[segment].ToCharArray();
        int i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        parts[segment] = new string(chars);
        return string.Join('.', parts);
    }

    /// <summary>The public key as an attacker sees it (SPKI PEM), used as an HMAC secret.</summary>
    public static byte[] PublicKeyPemBytes() => Encoding.ASCII.GetBytes(AuthApp.EsKey.ExportSubjectPublicKeyInfoPem());

    public static string PublicJwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + Base64UrlEncoder.Encode(p.Q.X!) + "\",\"y\":\"" + Base64UrlEncoder.Encode(p.Q.Y!) + "\"}";
    }
}
