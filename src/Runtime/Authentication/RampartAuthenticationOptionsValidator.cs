using System;
using System.Collections.Generic;
using Rampart.Configuration;

namespace Rampart.Authentication;

/// <summary>
/// Checks the token profile at start-up (and on every rebuild after a configuration reload): every unsafe value
/// is reported, each message naming its <c>Rampart:Authentication</c> setting.
/// </summary>
internal sealed class RampartAuthenticationOptionsValidator : OptionsValidator<RampartAuthenticationOptions>
{
    private const string Section = "Rampart:Authentication: ";

    public static RampartAuthenticationOptionsValidator Instance { get; } = new();

    protected override void AddFailures(RampartAuthenticationOptions options, List<string> failures)
    {
        void Fail(string message) => failures.Add(Section + message);

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            Fail("Issuer is required: tokens are accepted only from one exactly named issuer.");
        }

        if (options.Audiences.Count == 0)
        {
            Fail("Audience is required: a token minted for another API must not be accepted here.");
        }
        else if (AnyEmpty(options.Audiences))
        {
            Fail("Audiences must not contain an empty value.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            Fail("ClockSkewSeconds must be between 0 and 300.");
        }

        if (options.MaxTokenAge is { } age && age <= TimeSpan.Zero)
        {
            Fail("MaxTokenAgeSeconds must be positive when set.");
        }

        if (options.MaxTokenLength is < 256 or > 65536)
        {
            Fail("MaxTokenLength must be between 256 and 65536 characters.");
        }

        if (options.ValidatedTokenCacheSize is < 1 or > 1_000_000)
        {
            Fail("ValidatedTokenCacheSize must be between 1 and 1000000 (set EnableValidatedTokenCache to false to turn the cache off).");
        }

        if (options.ValidTypes.Count == 0)
        {
            Fail("ValidTypes must not be empty: an untyped token could be another kind of JWT (an ID token, a refresh token).");
        }
        else if (AnyEmpty(options.ValidTypes))
        {
            Fail("ValidTypes must not contain an empty value.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromHours(24))
        {
            Fail("AccessTokenLifetimeSeconds must be between 60 and 86400.");
        }

        if (options.RefreshTokenLifetime < TimeSpan.FromHours(1) || options.RefreshTokenLifetime > TimeSpan.FromDays(90))
        {
            Fail("RefreshTokenLifetimeSeconds must be between 3600 and 7776000 (90 days).");
        }

        if (options.JwksUri is not null && options.Authority is not null)
        {
            Fail("set JwksUri or Authority, not both.");
        }
        else if (options.JwksUri is { } jwksUri && RampartAuthenticationOptions.CheckRemoteUri(jwksUri, options.AllowHttpJwksOnLoopback) is { } jwksProblem)
        {
            Fail("JwksUri " + jwksProblem);
        }
        else if (options.Authority is { } authority && RampartAuthenticationOptions.CheckRemoteUri(authority, options.AllowHttpJwksOnLoopback) is { } authorityProblem)
        {
            Fail("Authority " + authorityProblem);
        }

        if (options.JwksRefreshInterval < TimeSpan.FromMinutes(1) || options.JwksRefreshInterval > TimeSpan.FromHours(24))
        {
            Fail("JwksRefreshIntervalSeconds must be between 60 and 86400.");
        }

        if (options.JwksUnknownKeyRefreshInterval < TimeSpan.FromSeconds(1) || options.JwksUnknownKeyRefreshInterval > options.JwksRefreshInterval)
        {
            Fail("JwksUnknownKeyRefreshIntervalSeconds must be at least 1 and at most JwksRefreshIntervalSeconds.");
        }

        if (options.Keys.Count == 0 && options.JwksUri is null && options.Authority is null)
        {
            Fail("at least one key is required (Keys:0:Id with Secret, PublicKeyPem or PrivateKeyPem); the algorithm allow-list is built from the keys and is never empty.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in options.Keys)
        {
            try
            {
                key.Validate();
            }
            catch (InvalidOperationException unsafeKey)
            {
                failures.Add(unsafeKey.Message);
            }

            if (!ids.Add(key.Id))
            {
                Fail($"key id '{key.Id}' is used twice; key ids must be unique.");
            }
        }

        if (options.SigningKeyId is not null && options.SigningKey is not { CanSign: true })
        {
            Fail($"SigningKeyId '{options.SigningKeyId}' does not name a configured key with private material.");
        }
    }

    private static bool AnyEmpty(IList<string> values)
    {
        foreach (string value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return true;
            }
        }

        return false;
    }
}
