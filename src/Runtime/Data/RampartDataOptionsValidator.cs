using System;
using System.Collections.Generic;
using System.Linq;
using Rampart.Configuration;

namespace Rampart.Data;

/// <summary>
/// Checks <see cref="RampartDataOptions"/> at start-up: the provider is one that is registered, and the
/// settings it needs are there. Each message names its <c>Rampart:Data</c> setting.
/// </summary>
internal sealed class RampartDataOptionsValidator(IEnumerable<RampartDataProvider> providers) : OptionsValidator<RampartDataOptions>
{
    private const string Section = "Rampart:Data:";

    protected override void AddFailures(RampartDataOptions options, List<string> failures)
    {
        if (RampartDataProvider.Find(providers, options.Provider) is { } provider)
        {
            failures.AddRange(provider.Validate(options));
        }
        else
        {
            failures.Add(UnknownProvider(options.Provider, providers));
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add(Section + "DataDirectory must not be empty (default App_Data).");
        }

        if (string.IsNullOrWhiteSpace(options.DatabaseFileName))
        {
            failures.Add(Section + "DatabaseFileName must not be empty (default rampart.db).");
        }

        if (options.MaxIdleSessions < 0)
        {
            failures.Add(Section + "MaxIdleSessions must be 0 or more.");
        }

        if (options.CommandTimeoutSeconds < 0)
        {
            failures.Add(Section + "CommandTimeoutSeconds must be 0 (no timeout) or more.");
        }
    }

    private static string UnknownProvider(string? name, IEnumerable<RampartDataProvider> registered)
    {
        string known = string.Join(", ", registered.Select(p => p.Name));
        return string.Equals(name, "PostgreSql", StringComparison.OrdinalIgnoreCase)
            ? $"{Section}Provider is PostgreSql, but PostgreSQL support is not registered: add the Rampart.PostgreSql package and call services.AddRampartPostgreSql() (registered providers: {known})."
            : $"{Section}Provider '{name}' is not one of the registered providers: {known}.";
    }
}
