using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rampart.Binding;

namespace Rampart.Hosting;

/// <summary>
/// What generated endpoints need at request time, resolved once when the endpoints are mapped,
/// so a request never goes back to the options system.
/// </summary>
public sealed class RampartRuntime
{
    /// <summary>Creates the runtime from validated options.</summary>
    public RampartRuntime(RampartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        MaxRequestBodyBytes = options.MaxRequestBodyBytes;
        Json = new JsonLimits(options.MaxJsonDepth, options.DefaultMaxStringLength, options.DefaultMaxCollectionLength);
    }

    /// <summary>The options this runtime was built from.</summary>
    public RampartOptions Options { get; }

    /// <summary>The largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; }

    /// <summary>JSON limits for generated binders.</summary>
    public JsonLimits Json { get; }

    /// <summary>The runtime registered by <c>AddRampart()</c>, or one with default options.</summary>
    public static RampartRuntime From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<RampartRuntime>()
            ?? new RampartRuntime(services.GetService<IOptions<RampartOptions>>()?.Value ?? new RampartOptions());
    }
}
