using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rampart.Configuration;

namespace Rampart.Authentication;

/// <summary>
/// Applies the <c>Rampart:Authentication</c> configuration section to <see cref="RampartAuthenticationOptions"/>.
/// The section is bound by the configuration-binding source generator onto <see cref="Settings"/>, one property per
/// key (durations in whole seconds, signing keys as text); a number or switch that is absent or empty leaves the
/// option's default, text is taken as written. <c>Audience</c> and <c>Audiences</c> add to the accepted audiences; <c>ValidTypes</c>, when given,
/// replaces the default types. The section is read each time the options are built, so a reload is seen.
/// </summary>
internal sealed class RampartAuthenticationSection(IConfiguration section) : IConfigureOptions<RampartAuthenticationOptions>
{
    /// <summary>The section's path, <c>Rampart:Authentication</c>.</summary>
    public const string Path = "Rampart:Authentication";

    public void Configure(RampartAuthenticationOptions options)
    {
        var settings = new Settings();
        ConfigurationErrors.Explained(() => section.Bind(settings));
        settings.ApplyTo(options);
    }

    /// <summary>The section as written.</summary>
    internal sealed class Settings
    {
        public string? Issuer { get; set; }

        public string? Audience { get; set; }

        public List<string> Audiences { get; } = [];

        public List<string> ValidTypes { get; } = [];

        public int? ClockSkewSeconds { get; set; }

        public int? MaxTokenAgeSeconds { get; set; }

        public int? RefreshTokenLifetimeSeconds { get; set; }

        public int? AccessTokenLifetimeSeconds { get; set; }

        public bool? EnableValidatedTokenCache { get; set; }

        public int? ValidatedTokenCacheSize { get; set; }

        public int? MaxTokenLength { get; set; }

        public Uri? JwksUri { get; set; }

        public Uri? Authority { get; set; }

        public int? JwksRefreshIntervalSeconds { get; set; }

        public int? JwksUnknownKeyRefreshIntervalSeconds { get; set; }

        public bool? AllowHttpJwksOnLoopback { get; set; }

        public string? SigningKeyId { get; set; }

        /// <summary>By configuration key (<c>Keys:0</c>, <c>Keys:1</c> …), in the section's order.</summary>
        public Dictionary<string, SigningKey> Keys { get; } = [];

        public void ApplyTo(RampartAuthenticationOptions options)
        {
            options.Issuer = Issuer ?? options.Issuer;
            if (Audience is not null)
            {
                options.Audiences.Add(Audience);
            }

            foreach (string audience in Audiences)
            {
                options.Audiences.Add(audience);
            }

            if (ValidTypes.Count > 0)
            {
                options.ValidTypes.Clear();
                foreach (string type in ValidTypes)
                {
                    options.ValidTypes.Add(type);
                }
            }

            options.ClockSkew = Seconds(ClockSkewSeconds) ?? options.ClockSkew;
            options.MaxTokenAge = Seconds(MaxTokenAgeSeconds) ?? options.MaxTokenAge;
            options.RefreshTokenLifetime = Seconds(RefreshTokenLifetimeSeconds) ?? options.RefreshTokenLifetime;
            options.AccessTokenLifetime = Seconds(AccessTokenLifetimeSeconds) ?? options.AccessTokenLifetime;
            options.EnableValidatedTokenCache = EnableValidatedTokenCache ?? options.EnableValidatedTokenCache;
            options.ValidatedTokenCacheSize = ValidatedTokenCacheSize ?? options.ValidatedTokenCacheSize;
            options.MaxTokenLength = MaxTokenLength ?? options.MaxTokenLength;
            options.JwksUri = JwksUri ?? options.JwksUri;
            options.Authority = Authority ?? options.Authority;
            options.JwksRefreshInterval = Seconds(JwksRefreshIntervalSeconds) ?? options.JwksRefreshInterval;
            options.JwksUnknownKeyRefreshInterval = Seconds(JwksUnknownKeyRefreshIntervalSeconds) ?? options.JwksUnknownKeyRefreshInterval;
            options.AllowHttpJwksOnLoopback = AllowHttpJwksOnLoopback ?? options.AllowHttpJwksOnLoopback;
            options.SigningKeyId = SigningKeyId ?? options.SigningKeyId;
            foreach (var (name, key) in Keys)
            {
                options.Keys.Add(key.Create(name));
            }
        }

        private static TimeSpan? Seconds(int? seconds) => seconds is { } value ? TimeSpan.FromSeconds(value) : null;
    }

    /// <summary>One entry of <c>Keys</c>: its id, algorithm and exactly one kind of key material.</summary>
    internal sealed class SigningKey
    {
        public string? Id { get; set; }

        public string? Algorithm { get; set; }

        public string? Secret { get; set; }

        public string? PrivateKeyPem { get; set; }

        public string? PublicKeyPem { get; set; }

        /// <summary>The key of entry <paramref name="name"/> of <c>Keys</c>; unusable entries throw, naming it.</summary>
        public RampartSigningKey Create(string name)
        {
            string id = Id is { Length: > 0 }
                ? Id
                : throw new InvalidOperationException($"{Path}:Keys:{name}:Id is required (the key's 'kid').");
            string? pem = PrivateKeyPem ?? PublicKeyPem;
            if ((Secret is null) == (pem is null))
            {
                throw new InvalidOperationException(
                    $"{Path}:Keys:{name}: set exactly one of Secret (base64, HS256/384/512), PrivateKeyPem or PublicKeyPem.");
            }

            if (Secret is null)
            {
                return RampartSigningKey.FromPem(id, pem!, Algorithm);
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(Secret);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{Path}:Keys:{name}:Secret must be base64 (e.g. 32 random bytes from a CSPRNG).");
            }

            return RampartSigningKey.FromSecret(id, bytes, Algorithm ?? SecurityAlgorithms.HmacSha256);
        }
    }
}
