using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.RateLimiting;

// ASP.NET Core convention: service registration extensions live in this namespace.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the per-account throttle of credential endpoints.</summary>
public static class AccountThrottleServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AccountThrottle"/> (a singleton) with the options <paramref name="configure"/> sets, on the
    /// in-memory store unless an <see cref="IAccountThrottleStore"/> is registered (<c>AddRampartRedis</c> registers
    /// one shared by every instance). Invalid options fail when the throttle is first resolved.
    /// </summary>
    public static IServiceCollection AddRampartAccountThrottle(this IServiceCollection services, Action<AccountThrottleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new AccountThrottleOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<IAccountThrottleStore>(sp => new InMemoryAccountThrottleStore(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(sp => new AccountThrottle(
            sp.GetRequiredService<IAccountThrottleStore>(),
            sp.GetRequiredService<AccountThrottleOptions>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger(SecurityEvents.Category)));
        return services;
    }
}
