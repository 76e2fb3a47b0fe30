using System;
using System.IO;
using System.Security.Cryptography;
using Rampart.Authentication;

namespace Orders.Development;

/// <summary>
/// The Development environment's signing key: an ES256 (P-256) key generated on first run and kept in a
/// PEM file under the app's data folder (<c>App_Data/</c>, ignored by git), reused on later runs. Never
/// used outside Development: there, keys must come from configuration or start-up fails.
/// </summary>
internal static class DevelopmentSigningKey
{
    /// <summary>The configuration key of the data folder; default: <c>App_Data</c> under the content root.</summary>
    public const string DataPathKey = "Orders:DataPath";

    /// <summary>The key file's name inside the data folder.</summary>
    public const string FileName = "dev-signing-key.pem";

    /// <summary>Loads the key in <paramref name="dataPath"/>, creating it first when there is none.</summary>
    public static RampartSigningKey LoadOrCreate(string dataPath)
    {
        string path = Path.Combine(dataPath, FileName);
        if (!File.Exists(path))
        {
            Create(dataPath, path);
        }

        string pem = File.ReadAllText(path);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return RampartSigningKey.FromPem(KeyId(ecdsa), pem);
    }

    // The key id names the key, so tokens from an earlier run validate while the file is unchanged and an
    // unknown kid (a deleted or replaced file) fails at once.
    private static string KeyId(ECDsa ecdsa) =>
        "dev-" + Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));

    private static void Create(string dataPath, string path)
    {
        Directory.CreateDirectory(dataPath);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;   // 0600: a private key
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            // Atomic publish: two processes starting at once keep whichever key was written first.
            File.Move(temporary, path, overwrite: false);
            Console.Error.WriteLine($"Development: generated an ES256 signing key in {path} (outside the repository; delete it to rotate).");
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
