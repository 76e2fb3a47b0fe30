using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Authentication;

namespace RampartApi.Tests;

/// <summary>
/// The API in memory (the Development environment), with its database and development key in a temporary
/// folder of its own, so tests never touch App_Data.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("rampartapi-tests-").FullName;

    /// <summary>A client calling as <paramref name="subject"/> with a token holding <paramref name="permissions"/>.</summary>
    public HttpClient CreateClientFor(string subject, params string[] permissions)
    {
        var client = CreateClient();
        string token = Services.GetRequiredService<ITokenIssuer>().Issue(subject, permissions).Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Rampart:Data:DataDirectory", DataDirectory);
        builder.UseSetting("Rampart:Authentication:Store", "Memory");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
