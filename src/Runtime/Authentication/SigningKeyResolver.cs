using System;
using System.Collections.Generic;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// Picks the one key a token may be validated with (JwtBearer's <c>IssuerSigningKeyResolver</c>): the key named by
/// the token's kid whose algorithm is the token's. Never every key in turn: an unknown kid fails at once.
/// </summary>
internal static class SigningKeyResolver
{
    /// <summary>
    /// A token without a kid header (many issuers write none) gets the one key there is, when exactly one is
    /// known (configured and fetched together) and its algorithm is the token's; with several keys it gets none
    /// (which one would be a guess). IdentityModel hands an absent kid over as an empty string, so absence is
    /// read from the header itself: <c>"kid": ""</c> is a kid that names no key.
    /// </summary>
    public static IEnumerable<SecurityKey> Resolve(RampartSigningKey[] keys, SecurityToken token, string? kid)
    {
        var jwt = token as JsonWebToken;
        string? algorithm = jwt?.Alg;
        if (jwt is not null && !jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Kid, out _))
        {
            return keys.Length == 1 && string.Equals(keys[0].Algorithm, algorithm, StringComparison.Ordinal) ? [keys[0].Key] : [];
        }

        foreach (var key in keys)
        {
            if (string.Equals(key.Id, kid, StringComparison.Ordinal) && string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
            {
                return [key.Key];
            }
        }

        return [];
    }
}
