using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rampart.Data;
using Rampart.PostgreSql;

// ASP.NET Core convention: service registration extensions live in this namespace.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PostgreSQL for Rampart's data access.</summary>
public static class RampartPostgreSqlExtensions
{
    /// <summary>
    /// Makes PostgreSQL available to <c>AddRampartData()</c>: <c>Rampart:Data:Provider = PostgreSql</c> (with a
    /// <c>ConnectionString</c>) then selects it. SQLite stays the default; registering twice is harmless.
    /// </summary>
    public static IServiceCollection AddRampartPostgreSql(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RampartDataProvider>(PostgreSqlDataProvider.Instance));
        return services;
    }
}
