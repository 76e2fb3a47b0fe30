using System;
using Microsoft.Extensions.DependencyInjection;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Microsoft.IdentityModel.Tokens;
using static Rampart.Authentication.Tests.Forge;
using R = Rampart.Authentication.TokenRejectionReasons;

namespace Rampart.Authentication.Tests;

/// <summary>
/// The attack catalogue of issue 3: each case is one distinct hostile request to a protected
/// endpoint and the reason class Rampart must log for it. Tokens that only carry one defect are signed
/// with the real key, so the rejection is the profile's own check, not a failed signature.
/// </summary>
internal static class AttackCatalogue
{
    public sealed record Attack(string Name, string Reason, Func<AuthApp, HttpRequestMessage> Request);

    public static readonly IReadOnlyList<Attack> All = Build();

    public static HttpRequestMessage Bearer(string token, string path = "/secure", HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return request;
    }

    private static Attack Token(string name, string reason, Func<AuthApp, string> token) => new(name, reason, app => Bearer(token(app)));

    private static string Header(string members) => "{" + members + "}";

    private static List<Attack> Build()
    {
        const string Typ = "\"typ\":\"at+jwt\"";
        return
        [
            // alg "none" in several casings, with an empty signature (RFC 8725 §2.1, §3.1).
            Token("alg_none", R.Unsigned, a => Unsigned(Header("\"alg\":\"none\"," + Typ), Payload(a))),
            Token("alg_None", R.Unsigned, a => Unsigned(Header("\"alg\":\"None\"," + Typ), Payload(a))),
            Token("alg_NONE", R.Unsigned, a => Unsigned(Header("\"alg\":\"NONE\"," + Typ), Payload(a))),
            Token("alg_nOnE", R.Unsigned, a => Unsigned(Header("\"alg\":\"nOnE\"," + Typ), Payload(a))),
            Token("alg_none_with_a_signature", R.AlgorithmNotAllowed, a => SigningInput(Header("\"alg\":\"none\"," + Typ), Payload(a)) + "." + Valid(a).Split('.')[2]),
            Token("alg_missing", R.AlgorithmNotAllowed, a => Es256(Header(Typ + ",\"kid\":\"es-1\""), Payload(a))),
            Token("signature_stripped", R.Unsigned, a => string.Join('.', Valid(a).Split('.')[..2]) + "."),
            // Algorithm confusion: HS256 with the public key as the HMAC secret, with and without the EC key's kid.
            Token("hs256_with_public_key_as_secret", R.UnknownKey, a => Hs256(Header("\"alg\":\"HS256\"," + Typ + ",\"kid\":\"es-1\""), Payload(a), PublicKeyPemBytes())),
            Token("hs256_with_public_key_as_secret_no_kid", R.UnknownKey, a => Hs256(Header("\"alg\":\"HS256\"," + Typ), Payload(a), PublicKeyPemBytes())),
            Token("es256_header_with_hs_key_id", R.UnknownKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"hs-1\""), Payload(a))),
            Token("wrong_key", R.InvalidSignature, a => Es256(EsHeader, Payload(a), AuthApp.AttackerKey)),
            Token("unknown_kid", R.UnknownKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-2\""), Payload(a))),
            Token("truncated_signature", R.Malformed, a => Valid(a)[..^5]),
            Token("truncated_signature_whole_bytes", R.InvalidSignature, a => DropFirstGroup(Valid(a), 2)),
            Token("tampered_signature", R.InvalidSignature, a => Tamper(Valid(a), 2)),
            Token("tampered_payload", R.InvalidSignature, a => SwapPayload(Valid(a), Payload(a, sub: "\"admin\""))),
            Token("truncated_payload", R.Malformed, a => TruncateSegment(Valid(a), 1)),
            Token("non_canonical_base64url", R.Malformed, a => NonCanonical(a)),
            // Time.
            Token("expired", R.Expired, a => Es256(EsHeader, Payload(a, exp: (Now(a) - 120).ToString(), nbf: (Now(a) - 700).ToString(), iat: (Now(a) - 700).ToString()))),
            Token("missing_exp", R.MissingExpiration, a => Es256(EsHeader, Payload(a, exp: ""))),
            Token("non_numeric_exp", R.InvalidClaimType, a => Es256(EsHeader, Payload(a, exp: "\"" + (Now(a) + 600) + "\""))),
            Token("non_numeric_nbf", R.InvalidClaimType, a => Es256(EsHeader, Payload(a, nbf: "\"" + Now(a) + "\""))),
            Token("negative_exp", R.InvalidClaimType, a => Es256(EsHeader, Payload(a, exp: "-1"))),
            Token("nbf_in_the_future", R.NotYetValid, a => Es256(EsHeader, Payload(a, nbf: (Now(a) + 300).ToString(), exp: (Now(a) + 900).ToString()))),
            Token("nbf_after_exp", R.InvalidLifetime, a => Es256(EsHeader, Payload(a, nbf: (Now(a) + 20).ToString(), exp: (Now(a) + 10).ToString()))),
            Token("iat_in_the_future", R.IssuedInFuture, a => Es256(EsHeader, Payload(a, iat: (Now(a) + 3600).ToString()))),
            // Issuer, audience, type.
            Token("wrong_iss", R.InvalidIssuer, a => Es256(EsHeader, Payload(a, iss: "\"https://evil.test\""))),
            Token("iss_with_trailing_slash", R.InvalidIssuer, a => Es256(EsHeader, Payload(a, iss: "\"" + AuthApp.Issuer + "/\""))),
            Token("missing_iss", R.InvalidIssuer, a => Es256(EsHeader, Payload(a, iss: ""))),
            Token("wrong_aud", R.InvalidAudience, a => Es256(EsHeader, Payload(a, aud: "\"another-api\""))),
            Token("aud_with_trailing_slash", R.InvalidAudience, a => Es256(EsHeader, Payload(a, aud: "\"" + AuthApp.Audience + "/\""))),
            Token("missing_aud", R.InvalidAudience, a => Es256(EsHeader, Payload(a, aud: ""))),
            Token("wrong_typ_JWT", R.InvalidType, a => Es256(Header("\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"es-1\""), Payload(a))),
            Token("missing_typ", R.InvalidType, a => Es256(Header("\"alg\":\"ES256\",\"kid\":\"es-1\""), Payload(a))),
            // Keys chosen by the token.
            Token("embedded_jwk", R.EmbeddedKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"jwk\":" + PublicJwk(AuthApp.AttackerKey)), Payload(a), AuthApp.AttackerKey)),
            Token("embedded_jwk_signed_with_real_key", R.EmbeddedKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\",\"jwk\":" + PublicJwk(AuthApp.EsKey)), Payload(a))),
            Token("jku_header", R.EmbeddedKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\",\"jku\":\"https://evil.test/jwks.json\""), Payload(a))),
            Token("x5u_header", R.EmbeddedKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\",\"x5u\":\"https://evil.test/cert.pem\""), Payload(a))),
            Token("x5c_header", R.EmbeddedKey, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\",\"x5c\":[\"MIIB\"]"), Payload(a))),
            Token("kid_path_traversal", R.UnknownKey, a => Hs256(Header("\"alg\":\"HS256\"," + Typ + ",\"kid\":\"../../../../../../dev/null\""), Payload(a), [])),
            Token("kid_sql_injection", R.UnknownKey, a => Hs256(Header("\"alg\":\"HS256\"," + Typ + ",\"kid\":\"x' UNION SELECT 'secret' --\""), Payload(a), "secret"u8.ToArray())),
            Token("unknown_crit", R.UnsupportedCritical, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\",\"crit\":[\"rampart-unknown\"],\"rampart-unknown\":true"), Payload(a))),
            // Shape.
            Token("json_serialization", R.Malformed, a => JsonSerialization(Valid(a))),
            Token("two_segments", R.Malformed, a => string.Join('.', Valid(a).Split('.')[..2])),
            Token("four_segments", R.Malformed, a => Valid(a) + "." + Valid(a).Split('.')[2]),
            Token("five_segments_jwe", R.Malformed, a => "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"),
            Token("whitespace_inside", R.Malformed, a => Valid(a).Insert(Valid(a).IndexOf('.') + 1, " ")),
            Token("oversized", R.Oversized, a => Es256(EsHeader, Payload(a, extra: "\"pad\":\"" + new string('x', 5000) + "\""))),
            Token("header_not_an_object", R.Malformed, a => Es256("[\"ES256\"]", Payload(a))),
            // Claims the stock reader would accept (last one wins).
            Token("duplicated_sub", R.DuplicateMember, a => Es256(EsHeader, Payload(a, extra: "\"sub\":\"admin\""))),
            Token("duplicated_sub_escaped", R.DuplicateMember, a => Es256(EsHeader, Payload(a, extra: "\"s\\u0075b\":\"admin\""))),
            Token("duplicated_scope", R.DuplicateMember, a => Es256(EsHeader, Payload(a, extra: "\"scope\":\"admin:all\""))),
            Token("duplicated_alg", R.DuplicateMember, a => Es256(Header("\"alg\":\"none\",\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-1\""), Payload(a))),
            Token("duplicated_kid", R.DuplicateMember, a => Es256(Header("\"alg\":\"ES256\"," + Typ + ",\"kid\":\"es-2\",\"kid\":\"es-1\""), Payload(a))),
            Token("empty_sub", R.MissingSubject, a => Es256(EsHeader, Payload(a, sub: "\"\""))),
            Token("blank_sub", R.MissingSubject, a => Es256(EsHeader, Payload(a, sub: "\"   \""))),
            Token("missing_sub", R.MissingSubject, a => Es256(EsHeader, Payload(a, sub: ""))),
            Token("missing_jti", R.MissingTokenId, a => Es256(EsHeader, Payload(a, jti: ""))),
            Token("empty_jti", R.MissingTokenId, a => Es256(EsHeader, Payload(a, jti: "\"\""))),
            Token("numeric_sub", R.InvalidClaimType, a => Es256(EsHeader, Payload(a, sub: "42"))),
            // Other token kinds and states.
            Token("refresh_token_as_access_token", R.Malformed, a =>
                a.Services.GetRequiredService<RefreshTokenService>().IssueAsync("alice", ["orders:read"], default).AsTask().GetAwaiter().GetResult().RefreshToken),
            Token("revoked_jti", R.Revoked, a =>
            {
                var token = a.Services.GetRequiredService<ITokenIssuer>().Issue("alice", ["orders:read"]);
                a.Services.GetRequiredService<ITokenRevocationStore>().RevokeAsync(token.Id, token.ExpiresAt, default).AsTask().GetAwaiter().GetResult();
                return token.Token;
            }),

            // Transport.
            new("token_in_query_string", R.TokenInQuery, a => new HttpRequestMessage(HttpMethod.Get, "/secure?access_token=" + Valid(a))),
            new("two_authorization_headers", R.MultipleAuthorizationHeaders, a =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/secure");
                request.Headers.TryAddWithoutValidation("Authorization", new[] { "Bearer " + Valid(a), "Bearer " + Valid(a) });
                return request;
            }),
        ];
    }

    private static string SwapPayload(string token, string payloadJson)
    {
        string[] parts = token.Split('.');
        parts[1] = Base64UrlEncoder.Encode(payloadJson);
        return string.Join('.', parts);
    }

    // Removes the first four characters (three whole bytes) of a segment: still canonical base64url.
    private static string DropFirstGroup(string token, int segment)
    {
        string[] parts = token.Split('.');
        parts[segment] = parts[segment][4..];
        return string.Join('.', parts);
    }

    private static string TruncateSegment(string token, int segment)
    {
        string[] parts = token.Split('.');
        parts[segment] = parts[segment][..^3];
        return string.Join('.', parts);
    }

    // The same bytes spelled differently: the last character of a 64-byte ES256 signature (86 chars)
    // carries 2 unused bits; setting one keeps the decoded signature valid.
    private static string NonCanonical(AuthApp app)
    {
        string token = Valid(app);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int value = alphabet.IndexOf(token[^1]);
        return token[..^1] + alphabet[value ^ 1];
    }

    private static string JsonSerialization(string token)
    {
        string[] parts = token.Split('.');
        return "{\"protected\":\"" + parts[0] + "\",\"payload\":\"" + parts[1] + "\",\"signature\":\"" + parts[2] + "\"}";
    }

    public static IEnumerable<object[]> Names() => All.Select(a => new object[] { a.Name });
}
