using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// Structural checks run on the raw token before IdentityModel sees it, for what the stock handler
/// accepts: duplicated JSON members (its reader keeps the last), wrongly typed registered claims,
/// <c>crit</c>, embedded keys, non-canonical base64url and forms other than the compact JWS. The
/// decoding is IdentityModel's (<see cref="Base64UrlEncoder"/>) and System.Text.Json's reader.
/// </summary>
internal static class TokenPrecheck
{
    private const int MaxJsonDepth = 8;

    /// <summary>Returns null when the token may go on to validation, else the reason class.</summary>
    public static string? Check(string token, int maxLength, ICollection<string> allowedAlgorithms) =>
        Check(token, maxLength, allowedAlgorithms, out _);

    /// <summary>As <see cref="Check(string, int, ICollection{string})"/>, also giving the header's <c>kid</c> (null when absent or when rejected).</summary>
    public static string? Check(string token, int maxLength, ICollection<string> allowedAlgorithms, out string? keyId)
    {
        keyId = null;
        if (token.Length > maxLength)
        {
            return TokenRejectionReasons.Oversized;
        }

        // Compact serialization only: exactly three segments of base64url characters.
        int firstDot = -1, secondDot = -1;
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c == '.')
            {
                if (firstDot < 0)
                {
                    firstDot = i;
                }
                else if (secondDot < 0)
                {
                    secondDot = i;
                }
                else
                {
                    return TokenRejectionReasons.Malformed;
                }
            }
            else if (!(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return TokenRejectionReasons.Malformed;
            }
        }

        if (secondDot < 0 || firstDot == 0 || secondDot == firstDot + 1)
        {
            return TokenRejectionReasons.Malformed;
        }

        if (secondDot == token.Length - 1)
        {
            return TokenRejectionReasons.Unsigned;
        }

        byte[]? header = Decode(token, 0, firstDot);
        byte[]? payload = Decode(token, firstDot + 1, secondDot - firstDot - 1);
        if (header is null || payload is null || Decode(token, secondDot + 1, token.Length - secondDot - 1) is null)
        {
            return TokenRejectionReasons.Malformed;
        }

        return CheckHeader(header, allowedAlgorithms, out keyId) ?? CheckPayload(payload);
    }

    // Decodes one segment and requires it to be canonical (re-encoding gives the same text), so one
    // token has exactly one spelling: no unused trailing bits to tamper with.
    private static byte[]? Decode(string token, int start, int length)
    {
        try
        {
            byte[] bytes = Base64UrlEncoder.DecodeBytes(token.Substring(start, length));
            string again = Base64UrlEncoder.Encode(bytes);
            return string.CompareOrdinal(again, 0, token, start, length) == 0 && again.Length == length ? bytes : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string? CheckHeader(byte[] json, ICollection<string> allowedAlgorithms, out string? keyId)
    {
        string? algorithm = null;
        string? kid = null;
        string? result = Walk(json, (string name, ref Utf8JsonReader reader) =>
        {
            switch (name)
            {
                case "alg":
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return TokenRejectionReasons.AlgorithmNotAllowed;
                    }

                    algorithm = reader.GetString();
                    return null;
                case "crit":
                    return TokenRejectionReasons.UnsupportedCritical;
                case "jwk" or "jku" or "x5u" or "x5c":
                    return TokenRejectionReasons.EmbeddedKey;
                case "kid" or "typ" or "cty" when reader.TokenType != JsonTokenType.String:
                    return TokenRejectionReasons.InvalidClaimType;
                case "kid":
                    kid = reader.GetString();
                    return null;
                case "zip" or "enc":
                    return TokenRejectionReasons.Malformed;
                default:
                    return null;
            }
        });
        keyId = result is null ? kid : null;
        if (result is not null)
        {
            return result;
        }

        return algorithm is not null && allowedAlgorithms.Contains(algorithm) ? null : TokenRejectionReasons.AlgorithmNotAllowed;
    }

    private static string? CheckPayload(byte[] json)
    {
        bool hasSubject = false;
        string? result = Walk(json, (string name, ref Utf8JsonReader reader) =>
        {
            switch (name)
            {
                case "exp" or "nbf" or "iat":
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) && double.IsFinite(seconds) && seconds >= 0
                        ? null
                        : TokenRejectionReasons.InvalidClaimType;
                case "sub":
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return TokenRejectionReasons.InvalidClaimType;
                    }

                    hasSubject = !string.IsNullOrWhiteSpace(reader.GetString());
                    return null;
                case "iss" or "jti" or "scope" or "client_id" when reader.TokenType != JsonTokenType.String:
                    return TokenRejectionReasons.InvalidClaimType;
                case "aud" when reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartArray):
                    return TokenRejectionReasons.InvalidClaimType;
                default:
                    return null;
            }
        });
        return result ?? (hasSubject ? null : TokenRejectionReasons.MissingSubject);
    }

    private delegate string? MemberCheck(string name, ref Utf8JsonReader reader);

    // Reads one JSON object strictly (no comments, no trailing commas, nothing after it), rejects a
    // member name seen twice in any object (compared after unescaping, so "s\u0075b" is "sub"), and
    // hands each top-level member's value to check.
    private static string? Walk(byte[] json, MemberCheck check)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxJsonDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return TokenRejectionReasons.Malformed;
            }

            var names = new List<HashSet<string>> { new(StringComparer.Ordinal) };
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString()!;
                        if (!names[^1].Add(name))
                        {
                            return TokenRejectionReasons.DuplicateMember;
                        }

                        if (names.Count == 1)
                        {
                            reader.Read();
                            if (check(name, ref reader) is { } reason)
                            {
                                return reason;
                            }

                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                names.Add(new HashSet<string>(StringComparer.Ordinal));
                            }
                        }

                        break;
                    case JsonTokenType.StartObject:
                        names.Add(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.RemoveAt(names.Count - 1);
                        break;
                }
            }

            return names.Count == 0 ? null : TokenRejectionReasons.Malformed;
        }
        catch (JsonException)
        {
            return TokenRejectionReasons.Malformed;
        }
    }
}
