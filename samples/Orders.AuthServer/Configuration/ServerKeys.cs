using System;
using System.IO;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Orders.AuthServer.Configuration;

/// <summary>
/// The signing key (asymmetric: the Orders API holds only its public half) and the encryption key of
/// codes and refresh tokens. From configuration; in Development, generated on first run and kept in the
/// data folder, outside the repository.
/// </summary>
public sealed class ServerKeys
{
    private ServerKeys(AsymmetricSecurityKey signing, SymmetricSecurityKey encryption)
    {
        Signing = signing;
        Encryption = encryption;
    }

    /// <summary>The token signing key (private).</summary>
    public AsymmetricSecurityKey Signing { get; }

    /// <summary>The symmetric key that encrypts authorization codes and refresh tokens.</summary>
    public SymmetricSecurityKey Encryption { get; }

    /// <summary>Loads the keys from <paramref name="settings"/>, or in Development from (or into) <paramref name="dataPath"/>.</summary>
    public static ServerKeys Load(AuthServerSettings settings, bool development, string dataPath)
    {
        string? pem = settings.SigningKey?.PrivateKeyPem;
        string? encryption = settings.EncryptionKey;
        if (development)
        {
            Directory.CreateDirectory(dataPath);
            pem ??= LoadOrCreate(Path.Combine(dataPath, "signing-key.pem"), () =>
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return ec.ExportPkcs8PrivateKeyPem();
            });
            encryption ??= LoadOrCreate(Path.Combine(dataPath, "encryption-key.txt"), () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        if (pem is null || encryption is null)
        {
            throw AuthServerSettings.Fail("SigningKey:PrivateKeyPem and EncryptionKey are required.");
        }

        byte[] encryptionBytes = Convert.FromBase64String(encryption.Trim());
        if (encryptionBytes.Length != 32)
        {
            throw AuthServerSettings.Fail("EncryptionKey must be 32 random bytes, base64-encoded.");
        }

        var signing = FromPem(pem);
        signing.KeyId = settings.SigningKey?.Id ?? KeyId(signing);
        return new ServerKeys(signing, new SymmetricSecurityKey(encryptionBytes));
    }

    /// <summary>The public half of the signing key as SPKI PEM: what the Orders API is configured with.</summary>
    public string ExportPublicKeyPem() => Signing switch
    {
        ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfoPem(),
        RsaSecurityKey rsa => rsa.Rsa.ExportSubjectPublicKeyInfoPem(),
        _ => throw new InvalidOperationException("unsupported key type"),
    };

    /// <summary>The JWS algorithm tokens are signed with.</summary>
    public string Algorithm => Signing is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256;

    private static AsymmetricSecurityKey FromPem(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            if (ec.KeySize != 256)
            {
                throw AuthServerSettings.Fail("an EC signing key must be P-256 (ES256).");
            }

            return new ECDsaSecurityKey(ec);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        if (rsa.KeySize < 2048)
        {
            throw AuthServerSettings.Fail("an RSA signing key must have at least 2048 bits.");
        }

        return new RsaSecurityKey(rsa);
    }

    // A stable id derived from the public key (RFC 7638 thumbprint), so a rotated key gets a new kid.
    private static string KeyId(AsymmetricSecurityKey key) =>
        Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint())[..16];

    private static string LoadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        string value = create();
        // Owner-only file; a concurrent first start keeps whichever was written first.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(value);
            return value;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
    }
}
