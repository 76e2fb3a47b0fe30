using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Rampart.Configuration;

namespace Rampart.Hosting;

/// <summary>
/// Applies the <c>Rampart</c> configuration section to <see cref="RampartOptions"/>. The section is bound by the
/// configuration-binding source generator onto <see cref="Settings"/>, one property per key (the request timeout
/// in whole seconds); a key that is absent or empty leaves the option's default, except the text settings, where
/// an empty value is a value (an empty <c>DefaultRateLimit</c> turns the default limit off). Code configuration
/// passed to <c>AddRampart</c> runs afterwards.
/// </summary>
internal sealed class RampartSection(IConfiguration section) : IConfigureOptions<RampartOptions>
{
    /// <summary>The section's path, <c>Rampart</c>.</summary>
    public const string Path = "Rampart";

    public void Configure(RampartOptions options)
    {
        var settings = new Settings();
        ConfigurationErrors.Explained(() => section.Bind(settings));
        settings.ApplyTo(options);
    }

    /// <summary>The section as written.</summary>
    internal sealed class Settings
    {
        public long? MaxRequestBodyBytes { get; set; }

        public int? MaxJsonDepth { get; set; }

        public int? DefaultMaxStringLength { get; set; }

        public int? DefaultMaxCollectionLength { get; set; }

        public int? RequestTimeoutSeconds { get; set; }

        public string? DefaultRateLimit { get; set; }

        public string? FailedAuthenticationLimit { get; set; }

        public bool? RequireHttps { get; set; }

        public AuthorizationSettings Authorization { get; } = new();

        public void ApplyTo(RampartOptions options)
        {
            options.MaxRequestBodyBytes = MaxRequestBodyBytes ?? options.MaxRequestBodyBytes;
            options.MaxJsonDepth = MaxJsonDepth ?? options.MaxJsonDepth;
            options.DefaultMaxStringLength = DefaultMaxStringLength ?? options.DefaultMaxStringLength;
            options.DefaultMaxCollectionLength = DefaultMaxCollectionLength ?? options.DefaultMaxCollectionLength;
            options.RequestTimeout = RequestTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.RequestTimeout;
            options.DefaultRateLimit = DefaultRateLimit ?? options.DefaultRateLimit;
            options.FailedAuthenticationLimit = FailedAuthenticationLimit ?? options.FailedAuthenticationLimit;
            options.RequireHttps = RequireHttps ?? options.RequireHttps;
            options.Authorization.ScopeClaim = Authorization.ScopeClaim ?? options.Authorization.ScopeClaim;
            options.Authorization.PermissionsClaim = Authorization.PermissionsClaim ?? options.Authorization.PermissionsClaim;
            options.Authorization.RequireAuthenticatedUserByDefault = Authorization.RequireAuthenticatedUserByDefault ?? options.Authorization.RequireAuthenticatedUserByDefault;
        }
    }

    /// <summary>The <c>Rampart:Authorization</c> keys.</summary>
    internal sealed class AuthorizationSettings
    {
        public string? ScopeClaim { get; set; }

        public string? PermissionsClaim { get; set; }

        public bool? RequireAuthenticatedUserByDefault { get; set; }
    }
}
