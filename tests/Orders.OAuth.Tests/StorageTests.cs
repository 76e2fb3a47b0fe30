using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Orders.OAuth.Tests;

/// <summary>What an attacker with a copy of the auth server's database gets: no usable client secret.</summary>
public sealed class StorageTests(OAuthServers servers)
{
    [Fact]
    public async Task Client_secrets_are_stored_only_as_hashes_and_public_clients_have_none()
    {
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={servers.AuthDatabase};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT ClientId, ClientSecret FROM OpenIddictApplications";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                secrets[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        Assert.Equal(7, secrets.Count);
        foreach (var (clientId, plain) in new[] { ("orders-worker", servers.WorkerSecret), ("orders-web", servers.WebSecret), ("orders-writer", servers.WriterSecret) })
        {
            string stored = Assert.IsType<string>(secrets[clientId]);
            Assert.DoesNotContain(plain, stored, StringComparison.Ordinal);
            // OpenIddict's PBKDF2 format: base64 of a version byte, the parameters, the salt and the subkey.
            Assert.True(Convert.FromBase64String(stored).Length >= 40, $"{clientId}: not a salted hash");
        }

        Assert.Null(secrets["orders-spa"]);
    }
}
