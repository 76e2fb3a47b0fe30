using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// The default <see cref="ITokenIssuer"/>: Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>
/// with the configured signing key; times from the registered <see cref="TimeProvider"/>.
/// </summary>
public sealed class JwtTokenIssuer : ITokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RampartAuthenticationOptions _startupOptions;
    private readonly TimeProvider _time;
    private readonly SigningKeyRing? _ring;
    private readonly Action? _refresh;

    /// <summary>Creates an issuer over the validated options.</summary>
    public JwtTokenIssuer(IOptions<RampartAuthenticationOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _startupOptions = options.Value;
        _time = time ?? TimeProvider.System;
    }

    // Follows the published profile, so a configuration reload that rotates the signing key takes effect.
    internal JwtTokenIssuer(IOptions<RampartAuthenticationOptions> options, TimeProvider time, SigningKeyRing ring, Action refresh)
        : this(options, time)
    {
        _ring = ring;
        _refresh = refresh;
    }

    private RampartAuthenticationOptions CurrentOptions
    {
        get
        {
            _refresh?.Invoke();
            return _ring?.Current?.Options ?? _startupOptions;
        }
    }

    /// <inheritdoc />
    public AccessToken Issue(string subject, IEnumerable<string> permissions, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(permissions);
        var options = CurrentOptions;
        TimeSpan validFor = lifetime ?? options.AccessTokenLifetime;
        if (validFor <= TimeSpan.Zero || validFor > TimeSpan.FromHours(24))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "An access token lives more than zero and at most 24 hours.");
        }

        var scope = new List<string>();
        foreach (string permission in permissions)
        {
            if (string.IsNullOrEmpty(permission) || permission.AsSpan().IndexOfAny(' ', '\t', '"') >= 0 || permission.AsSpan().IndexOf('\\') >= 0)
            {
                throw new ArgumentException("A permission is a non-empty scope token without spaces, quotes or backslashes.", nameof(permissions));
            }

            if (!scope.Contains(permission))
            {
                scope.Add(permission);
            }
        }

        RampartSigningKey key = options.SigningKey is { CanSign: true } signing
            ? signing
            : throw new InvalidOperationException("Rampart:Authentication has no key with private material to sign tokens with.");

        // Whole seconds, as in the token, so the returned times are exactly the token's.
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        DateTimeOffset expires = now + validFor;
        string id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.Jti] = id,
        };
        if (scope.Count > 0)
        {
            claims["scope"] = string.Join(' ', scope);
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audiences[0],
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            TokenType = RampartAuthenticationOptions.AccessTokenType,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        };
        return new AccessToken(Handler.CreateToken(descriptor), id, now, expires);
    }
}
