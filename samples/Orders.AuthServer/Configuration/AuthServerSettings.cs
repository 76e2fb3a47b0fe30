using System;
using System.Collections.Generic;
using System.Linq;

namespace Orders.AuthServer.Configuration;

/// <summary>The <c>AuthServer</c> configuration section: keys, lifetimes, resources, clients and users.</summary>
public sealed class AuthServerSettings
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "AuthServer";

    /// <summary>
    /// The prefix of every client's subject: a client-credentials token carries <c>sub = client:{client_id}</c>, and no
    /// user subject may start with it, so a client can never be taken for a user (a client named <c>alice</c> does not
    /// own alice's orders).
    /// </summary>
    public const string ClientSubjectPrefix = "client:";

    /// <summary>
    /// The issuer (<c>iss</c>), e.g. <c>https://login.example.com/</c>. Required outside Development; in
    /// Development it defaults to the request's scheme, host and port.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Where the development keys and the default SQLite database are kept; default <c>App_Data</c> under the content root.</summary>
    public string? DataPath { get; set; }

    /// <summary>The EF Core SQLite connection string; default a file <c>authserver.db</c> in <see cref="DataPath"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The token signing key (an EC P-256 or RSA private key). Required outside Development.</summary>
    public KeySettings? SigningKey { get; set; }

    /// <summary>
    /// The base64 256-bit key that encrypts authorization codes and refresh tokens (both opaque to clients).
    /// Required outside Development.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Authorization code lifetime; RFC 9700 wants it short. Default 60 s, at most 10 minutes.</summary>
    public int AuthorizationCodeLifetimeSeconds { get; set; } = 60;

    /// <summary>Access token lifetime; default 10 minutes, at most 1 hour.</summary>
    public int AccessTokenLifetimeSeconds { get; set; } = 600;

    /// <summary>Refresh token lifetime (each use rotates it); default 8 hours.</summary>
    public int RefreshTokenLifetimeSeconds { get; set; } = 8 * 3600;

    /// <summary>Login cookie lifetime; default 15 minutes.</summary>
    public int LoginLifetimeSeconds { get; set; } = 900;

    /// <summary>Sign-in attempts (POST /account/login) allowed per client address and minute; default 10.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Protected APIs (audiences) and the scopes that grant access to them.</summary>
    public List<ResourceSettings> Resources { get; set; } = [];

    /// <summary>Registered clients, seeded into the store at start-up.</summary>
    public List<ClientSettings> Clients { get; set; } = [];

    /// <summary>Users who can sign in on the login page.</summary>
    public List<UserSettings> Users { get; set; } = [];

    /// <summary>Every scope of every resource.</summary>
    public IEnumerable<string> AllScopes => Resources.SelectMany(r => r.Scopes).Distinct(StringComparer.Ordinal);

    /// <summary>Throws with a clear message when the settings are incomplete or unsafe.</summary>
    public void Validate(bool development)
    {
        if (!development)
        {
            if (string.IsNullOrWhiteSpace(Issuer) || !Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme != Uri.UriSchemeHttps)
            {
                throw Fail("Issuer must be an absolute https URL outside Development.");
            }

            if (SigningKey is null || EncryptionKey is null)
            {
                throw Fail("SigningKey and EncryptionKey are required outside Development (no key is generated there).");
            }
        }

        if (AuthorizationCodeLifetimeSeconds is < 10 or > 600)
        {
            throw Fail("AuthorizationCodeLifetimeSeconds must be between 10 and 600 (RFC 9700: short-lived codes).");
        }

        if (AccessTokenLifetimeSeconds is < 60 or > 3600)
        {
            throw Fail("AccessTokenLifetimeSeconds must be between 60 and 3600.");
        }

        if (RefreshTokenLifetimeSeconds is < 60 or > 30 * 86400)
        {
            throw Fail("RefreshTokenLifetimeSeconds must be between 60 and 2592000.");
        }

        if (LoginAttemptsPerMinute is < 1 or > 10_000)
        {
            throw Fail("LoginAttemptsPerMinute must be between 1 and 10000 (online password guessing).");
        }

        if (Resources.Count == 0)
        {
            throw Fail("at least one resource (Resources:0:Name and Scopes) is required: every access token is audience-restricted.");
        }

        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in Resources)
        {
            if (string.IsNullOrWhiteSpace(resource.Name) || resource.Scopes.Count == 0)
            {
                throw Fail("every resource needs a Name and at least one scope.");
            }

            foreach (string scope in resource.Scopes)
            {
                if (!scopes.Add(scope))
                {
                    throw Fail($"scope '{scope}' belongs to two resources; a scope names exactly one audience.");
                }
            }
        }

        foreach (var client in Clients)
        {
            client.Validate(scopes);
        }

        foreach (var user in Users)
        {
            user.Validate(development, scopes);
        }
    }

    internal static InvalidOperationException Fail(string message) => new($"{SectionName}: {message}");
}

/// <summary>A private key in PEM form with its key id.</summary>
public sealed class KeySettings
{
    /// <summary>The key id (<c>kid</c>) published in the JWKS and put in every token header.</summary>
    public string? Id { get; set; }

    /// <summary>The PKCS#8 or SEC1 PEM text of the private key.</summary>
    public string? PrivateKeyPem { get; set; }
}

/// <summary>A protected API: its audience name and its scopes.</summary>
public sealed class ResourceSettings
{
    /// <summary>The audience (<c>aud</c>) of tokens for this API, e.g. <c>orders-api</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The scopes granting access to this API.</summary>
    public List<string> Scopes { get; set; } = [];
}

/// <summary>A registered client.</summary>
public sealed class ClientSettings
{
    /// <summary>The client id.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Shown on the consent page.</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// The client secret of a confidential client. Stored only as a hash (OpenIddict's PBKDF2); give it through a
    /// secret store or environment variable, never a committed file (development values excepted).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>True for a client that can keep a secret (a server); false for a SPA or a native app (PKCE only).</summary>
    public bool Confidential { get; set; }

    /// <summary>The grants: <c>authorization_code</c> (with refresh tokens) and/or <c>client_credentials</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];

    /// <summary>Exact redirect URIs (matched character for character).</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>The scopes the client may request.</summary>
    public List<string> Scopes { get; set; } = [];

    internal void Validate(ISet<string> knownScopes)
    {
        string where = $"client '{ClientId}'";
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw AuthServerSettings.Fail("every client needs a ClientId.");
        }

        if (Confidential == string.IsNullOrEmpty(ClientSecret))
        {
            throw AuthServerSettings.Fail($"{where}: a confidential client needs a ClientSecret and a public client must not have one.");
        }

        if (Confidential && ClientSecret!.Length < 16)
        {
            throw AuthServerSettings.Fail($"{where}: ClientSecret must be at least 16 characters (use 32 random bytes).");
        }

        foreach (string grant in GrantTypes)
        {
            if (grant is not ("authorization_code" or "client_credentials"))
            {
                throw AuthServerSettings.Fail($"{where}: grant '{grant}' is not offered (only authorization_code and client_credentials; no implicit, no password).");
            }
        }

        if (GrantTypes.Contains("client_credentials") && !Confidential)
        {
            throw AuthServerSettings.Fail($"{where}: client_credentials needs a confidential client.");
        }

        if (GrantTypes.Contains("authorization_code") == (RedirectUris.Count == 0))
        {
            throw AuthServerSettings.Fail($"{where}: redirect URIs are required with authorization_code, and only with it.");
        }

        foreach (string uri in RedirectUris)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
            {
                throw AuthServerSettings.Fail($"{where}: redirect URI '{uri}' must be absolute, without fragment or user info.");
            }
        }

        foreach (string scope in Scopes)
        {
            if (!knownScopes.Contains(scope))
            {
                throw AuthServerSettings.Fail($"{where}: scope '{scope}' belongs to no resource.");
            }
        }
    }
}

/// <summary>A user who can sign in.</summary>
public sealed class UserSettings
{
    /// <summary>The stable subject identifier (<c>sub</c>); default the user name.</summary>
    public string? Subject { get; set; }

    /// <summary>The login name.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The password hash (ASP.NET Core Identity's PBKDF2 format; <c>dotnet run -- hash-password</c> prints one).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Development only: a plain password, hashed at start-up and never stored.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The permissions the user holds (scopes of the configured resources). Consent grants a client only the requested
    /// scopes the user holds; a user without any gets tokens for none.
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The subject (<c>sub</c>) of the user's tokens: <see cref="Subject"/>, or the user name.</summary>
    public string EffectiveSubject => Subject ?? UserName;

    internal void Validate(bool development, ISet<string> knownScopes)
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            throw AuthServerSettings.Fail("every user needs a UserName.");
        }

        if (EffectiveSubject.StartsWith(AuthServerSettings.ClientSubjectPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw AuthServerSettings.Fail($"user '{UserName}': the subject '{EffectiveSubject}' starts with '{AuthServerSettings.ClientSubjectPrefix}', which is reserved for clients.");
        }

        foreach (string scope in Scopes)
        {
            if (!knownScopes.Contains(scope))
            {
                throw AuthServerSettings.Fail($"user '{UserName}': scope '{scope}' belongs to no resource.");
            }
        }

        if (Password is not null && !development)
        {
            throw AuthServerSettings.Fail($"user '{UserName}': a plain Password is accepted only in Development; configure PasswordHash.");
        }

        if (string.IsNullOrEmpty(PasswordHash) == string.IsNullOrEmpty(Password))
        {
            throw AuthServerSettings.Fail($"user '{UserName}': set exactly one of PasswordHash or Password (Development only).");
        }
    }
}
