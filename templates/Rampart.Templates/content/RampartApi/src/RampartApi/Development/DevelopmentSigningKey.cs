using System.Security.Cryptography;
using Rampart.Authentication;

namespace RampartApi.Development;

/// <summary>
/// The Development environment's signing key: an ES256 (P-256) key generated on first run into
/// <c>App_Data/dev-signing-key.pem</c> (ignored by git, readable by the owner only) and reused afterwards.
/// Used only in Development and only when no key source is configured; elsewhere a missing key fails
/// start-up, so production keys always come from configuration or your identity provider's JWKS.
/// </summary>
internal static class DevelopmentSigningKey
{
    public static IServiceCollection AddDevelopmentSigningKey(this IServiceCollection services)
    {
        services.AddOptions<RampartAuthenticationOptions>()
            .Configure<IHostEnvironment, IConfiguration>((options, environment, configuration) =>
            {
                if (environment.IsDevelopment() && options.Keys.Count == 0 && options.JwksUri is null && options.Authority is null)
                {
                    // Beside the development database (Rampart:Data:DataDirectory, default App_Data).
                    string folder = Path.GetFullPath(configuration["Rampart:Data:DataDirectory"] ?? "App_Data", environment.ContentRootPath);
                    options.Keys.Add(LoadOrCreate(Path.Combine(folder, "dev-signing-key.pem")));
                }
            });
        return services;
    }

    private static RampartSigningKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, owner))
            {
                writer.Write(created.ExportPkcs8PrivateKeyPem());
            }

            try
            {
                File.Move(temporary, path, overwrite: false);   // two processes starting at once keep the first key
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        string pem = File.ReadAllText(path);
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        // The key id names the key: tokens of an earlier run stay valid until the file is deleted or replaced.
        string keyId = "dev-" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));
        return RampartSigningKey.FromPem(keyId, pem);
    }
}
