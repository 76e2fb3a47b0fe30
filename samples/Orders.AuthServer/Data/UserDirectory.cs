using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Identity;
using Orders.AuthServer.Configuration;

namespace Orders.AuthServer.Data;

/// <summary>One user who can sign in.</summary>
/// <param name="Subject">The stable subject identifier.</param>
/// <param name="UserName">The login name.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's PBKDF2 hash.</param>
/// <param name="Scopes">The permissions the user holds: the most a client can be granted on the user's behalf.</param>
public sealed record AuthUser(string Subject, string UserName, string PasswordHash, IReadOnlySet<string> Scopes);

/// <summary>
/// The users from configuration, with passwords held only as ASP.NET Core Identity PBKDF2 hashes
/// (a development plain password is hashed here and dropped). A sample stand-in for a real user store.
/// </summary>
public sealed class UserDirectory
{
    private static readonly PasswordHasher<AuthUser> Hasher = new();
    private static readonly AuthUser Nobody = new("", "", "", new HashSet<string>());
    private readonly Dictionary<string, AuthUser> byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AuthUser> bySubject = new(StringComparer.Ordinal);

    // Compared against when the name is unknown, so a wrong name costs the same time as a wrong password.
    private readonly string decoyHash = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString());

    /// <summary>Builds the directory from configuration.</summary>
    public UserDirectory(AuthServerSettings settings)
    {
        foreach (var user in settings.Users)
        {
            string subject = user.EffectiveSubject;
            var entry = new AuthUser(subject, user.UserName, "", new HashSet<string>(user.Scopes, StringComparer.Ordinal));
            entry = entry with { PasswordHash = user.PasswordHash ?? Hasher.HashPassword(entry, user.Password!) };
            byName.Add(user.UserName, entry);
            bySubject.Add(subject, entry);
        }
    }

    /// <summary>Hashes a password in the format <see cref="UserSettings.PasswordHash"/> expects.</summary>
    public static string HashPassword(string password) => Hasher.HashPassword(Nobody, password);

    /// <summary>The user with this name and password, or null.</summary>
    public AuthUser? Verify(string userName, string password)
    {
        if (!byName.TryGetValue(userName, out var user))
        {
            Hasher.VerifyHashedPassword(Nobody, decoyHash, password);
            return null;
        }

        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    /// <summary>The user with this subject, or null (a removed user's login cookie is then worthless).</summary>
    public AuthUser? FindBySubject(string subject) => bySubject.GetValueOrDefault(subject);
}
