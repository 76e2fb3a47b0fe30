using System;
using System.Collections.Generic;
using Rampart.Configuration;
using Rampart.RateLimiting;

namespace Rampart.Hosting;

/// <summary>
/// Checks <see cref="RampartOptions"/> at start-up: every unsafe or unusable value is reported, each message
/// naming its <c>Rampart</c> setting.
/// </summary>
internal sealed class RampartOptionsValidator : OptionsValidator<RampartOptions>
{
    public static RampartOptionsValidator Instance { get; } = new();

    protected override void AddFailures(RampartOptions options, List<string> failures)
    {
        if (options.MaxRequestBodyBytes is < 1 or > int.MaxValue)
        {
            failures.Add($"Rampart:MaxRequestBodyBytes must be between 1 and {int.MaxValue}.");
        }

        if (options.MaxJsonDepth is < 1 or > 256)
        {
            failures.Add("Rampart:MaxJsonDepth must be between 1 and 256.");
        }

        if (options.DefaultMaxStringLength < 1)
        {
            failures.Add("Rampart:DefaultMaxStringLength must be at least 1.");
        }

        if (options.DefaultMaxCollectionLength < 1)
        {
            failures.Add("Rampart:DefaultMaxCollectionLength must be at least 1.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromHours(1))
        {
            failures.Add("Rampart:RequestTimeoutSeconds must be between 1 and 3600.");
        }

        AddPolicyFailure(failures, "DefaultRateLimit", options.DefaultRateLimit);
        AddPolicyFailure(failures, "FailedAuthenticationLimit", options.FailedAuthenticationLimit);

        if (options.Authorization.Problem() is { } authorization)
        {
            failures.Add(authorization);
        }
    }

    // A policy text (RateLimitPolicyText's syntax); null or empty turns the limit off.
    private static void AddPolicyFailure(List<string> failures, string key, string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return;
        }

        try
        {
            _ = RateLimitPolicy.Parse(key, policy);
        }
        catch (FormatException ex)
        {
            failures.Add($"Rampart:{key} is invalid: {ex.Message}");
        }
    }
}
