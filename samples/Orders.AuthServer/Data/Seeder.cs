using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using Orders.AuthServer.Configuration;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Orders.AuthServer.Data;

/// <summary>
/// Creates the database and brings the stored scopes and clients in line with configuration at start-up:
/// configuration is the source of truth, the store keeps hashed secrets, authorizations and tokens.
/// </summary>
public static partial class Seeder
{
    /// <summary>Creates the schema when missing, then seeds resources/scopes and clients.</summary>
    public static async Task SeedAsync(IServiceProvider services, AuthServerSettings settings, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        await provider.GetRequiredService<AuthDbContext>().Database.EnsureCreatedAsync(cancellationToken);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Seeder));

        var scopes = provider.GetRequiredService<IOpenIddictScopeManager>();
        foreach (var resource in settings.Resources)
        {
            foreach (string name in resource.Scopes)
            {
                var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = name };
                descriptor.Resources.Add(resource.Name);
                var existing = await scopes.FindByNameAsync(name, cancellationToken);
                if (existing is null)
                {
                    await scopes.CreateAsync(descriptor, cancellationToken);
                }
                else
                {
                    await scopes.UpdateAsync(existing, descriptor, cancellationToken);
                }
            }
        }

        var applications = provider.GetRequiredService<IOpenIddictApplicationManager>();
        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var client in settings.Clients)
        {
            configured.Add(client.ClientId);
            var descriptor = Describe(client);
            var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
            if (existing is null)
            {
                // CreateAsync hashes the secret (PBKDF2) before it is stored.
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                // A changed secret in the descriptor is hashed again by UpdateAsync.
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }

            LogSeeded(logger, client.ClientId);
        }

        // A client removed from configuration loses access at the next start.
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            string? id = await applications.GetClientIdAsync(application, cancellationToken);
            if (id is not null && !configured.Contains(id))
            {
                await applications.DeleteAsync(application, cancellationToken);
                LogRemoved(logger, id);
            }
        }
    }

    private static OpenIddictApplicationDescriptor Describe(ClientSettings client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.Confidential ? client.ClientSecret : null,
            ClientType = client.Confidential ? ClientTypes.Confidential : ClientTypes.Public,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = client.DisplayName ?? client.ClientId,
        };

        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Authorization);
            descriptor.Permissions.Add(Permissions.GrantTypes.AuthorizationCode);
            descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            descriptor.Permissions.Add(Permissions.ResponseTypes.Code);
            // PKCE for every client, confidential ones included (RFC 9700 §2.1.1).
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (string uri in client.RedirectUris)
            {
                descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
            }
        }

        if (client.GrantTypes.Contains(GrantTypes.ClientCredentials))
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        foreach (string scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        return descriptor;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Client {ClientId} seeded from configuration")]
    private static partial void LogSeeded(ILogger logger, string clientId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Client {ClientId} is no longer configured and was removed")]
    private static partial void LogRemoved(ILogger logger, string clientId);
}
