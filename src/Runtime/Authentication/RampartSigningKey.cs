using System;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// One key of the token profile: its id (<c>kid</c>), the single algorithm it may be used with and the
/// key material. Keys come only from configuration (or code): a token can never introduce its own.
/// </summary>
public sealed class RampartSigningKey
{
    private RampartSigningKey(string id, string algorithm, SecurityKey key, bool canSign)
    {
        Id = id;
        Algorithm = algorithm;
        Key = key;
        CanSign = canSign;
    }

    /// <summary>The key id, matched exactly against a token's <c>kid</c> header.</summary>
    public string Id { get; }

    /// <summary>The only JWS algorithm accepted (and used) with this key, e.g. <c>ES256</c> or <c>HS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The key material.</summary>
    public SecurityKey Key { get; }

    /// <summary>True when the key holds private (or symmetric) material and can sign tokens.</summary>
    public bool CanSign { get; }

    /// <summary>
    /// A symmetric key for <c>HS256</c>, <c>HS384</c> or <c>HS512</c>; the secret must be at least as long as
    /// the hash (256, 384 or 512 bits), checked at start-up.
    /// </summary>
    public static RampartSigningKey FromSecret(string id, byte[] secret, string algorithm = SecurityAlgorithms.HmacSha256)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new RampartSigningKey(id, algorithm, new SymmetricSecurityKey((byte[])secret.Clone()) { KeyId = id }, canSign: true);
    }

    /// <summary>An elliptic-curve key (public only to validate, private to issue too), by default for <c>ES256</c>.</summary>
    public static RampartSigningKey FromEcdsa(string id, ECDsa key, string algorithm = SecurityAlgorithms.EcdsaSha256)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new RampartSigningKey(id, algorithm, new ECDsaSecurityKey(key) { KeyId = id }, HasPrivateKey(key));
    }

    /// <summary>An RSA key (at least 2048 bits), by default for <c>RS256</c>.</summary>
    public static RampartSigningKey FromRsa(string id, RSA key, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new RampartSigningKey(id, algorithm, new RsaSecurityKey(key) { KeyId = id }, HasPrivateKey(key));
    }

    /// <summary>
    /// A PEM key (SPKI public key, PKCS#8 or SEC1 private key): elliptic-curve keys default to <c>ES256</c>,
    /// RSA keys to <c>RS256</c>.
    /// </summary>
    public static RampartSigningKey FromPem(string id, string pem, string? algorithm = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return FromEcdsa(id, ecdsa, algorithm ?? SecurityAlgorithms.EcdsaSha256);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            ecdsa.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return FromRsa(id, rsa, algorithm ?? SecurityAlgorithms.RsaSha256);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"Signing key '{id}': the PEM text is neither an elliptic-curve nor an RSA key.", ex);
        }
    }

    private static bool HasPrivateKey(AsymmetricAlgorithm key)
    {
        try
        {
            return key switch
            {
                ECDsa ec => ec.ExportParameters(includePrivateParameters: true).D is { Length: > 0 },
                RSA rsa => rsa.ExportParameters(includePrivateParameters: true).D is { Length: > 0 },
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Throws with a clear message when the key and its algorithm are not a safe pair.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            throw new InvalidOperationException("Rampart:Authentication:Keys: every key needs a non-empty Id (its 'kid').");
        }

        switch (Key)
        {
            case SymmetricSecurityKey symmetric:
                int minimumBits = Algorithm switch
                {
                    SecurityAlgorithms.HmacSha256 => 256,
                    SecurityAlgorithms.HmacSha384 => 384,
                    SecurityAlgorithms.HmacSha512 => 512,
                    _ => throw Unsupported("a symmetric key allows HS256, HS384 or HS512"),
                };
                if (symmetric.Key.Length * 8 < minimumBits)
                {
                    throw new InvalidOperationException(
                        $"Signing key '{Id}': {Algorithm} needs a secret of at least {minimumBits} bits ({minimumBits / 8} random bytes); this one has {symmetric.Key.Length * 8}.");
                }

                break;
            case ECDsaSecurityKey ec:
                int expectedBits = Algorithm switch
                {
                    SecurityAlgorithms.EcdsaSha256 => 256,
                    SecurityAlgorithms.EcdsaSha384 => 384,
                    SecurityAlgorithms.EcdsaSha512 => 521,
                    _ => throw Unsupported("an elliptic-curve key allows ES256, ES384 or ES512"),
                };
                if (ec.ECDsa.KeySize != expectedBits)
                {
                    throw new InvalidOperationException($"Signing key '{Id}': {Algorithm} needs a P-{expectedBits} key; this one has {ec.ECDsa.KeySize} bits.");
                }

                break;
            case RsaSecurityKey rsa:
                if (Algorithm is not (SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSha384 or SecurityAlgorithms.RsaSha512
                    or SecurityAlgorithms.RsaSsaPssSha256 or SecurityAlgorithms.RsaSsaPssSha384 or SecurityAlgorithms.RsaSsaPssSha512))
                {
                    throw Unsupported("an RSA key allows RS256/384/512 or PS256/384/512");
                }

                if ((rsa.Rsa?.KeySize ?? 0) < 2048)
                {
                    throw new InvalidOperationException($"Signing key '{Id}': RSA keys must have at least 2048 bits.");
                }

                break;
            default:
                throw new InvalidOperationException($"Signing key '{Id}': unsupported key type {Key.GetType().Name}.");
        }
    }

    private InvalidOperationException Unsupported(string allowed) =>
        new($"Signing key '{Id}': algorithm '{Algorithm}' is not allowed; {allowed} ('none' is never allowed).");
}
