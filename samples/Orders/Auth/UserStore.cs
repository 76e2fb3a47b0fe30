using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Identity;
using Rampart;

namespace Orders.Auth;

/// <summary>A user of the first-party login: the name, the permissions the user holds (space-separated), and whether the user may sign in.</summary>
public sealed record UserRecord(string UserName, string Scope, bool Enabled = true);

/// <summary>
/// The sample's users, table <c>auth_users</c> (Migrations/0002_users.sql) of the same database as the orders:
/// SQLite by default, PostgreSQL with <c>Rampart:Data:Provider=PostgreSql</c>. A generated store: every
/// statement is a constant with parameters. Passwords are kept only as ASP.NET Core Identity
/// <see cref="PasswordHasher{TUser}"/> hashes (PBKDF2-HMAC-SHA512, 100,000 iterations, random salt).
/// </summary>
public sealed partial class UserStore
{
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verified against when the user does not exist, so an unknown name costs the same PBKDF2 work as a
    // wrong password: the response time does not tell which names exist.
    private static readonly string DecoyHash = Hasher.HashPassword(new UserRecord("decoy", ""), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>
    /// The user when <paramref name="userName"/> exists, is enabled and <paramref name="password"/> is theirs, else
    /// null; the same hashing work is done either way.
    /// </summary>
    public async ValueTask<UserRecord?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        UserRecord? user = null;
        string hash = DecoyHash;
        if (await FindRowAsync(userName, cancellationToken) is { } row)
        {
            user = new UserRecord(row.UserName, row.Scope, row.Enabled);
            hash = row.PasswordHash;
        }

        var result = Hasher.VerifyHashedPassword(user ?? new UserRecord("decoy", ""), hash, password);
        if (user is not { Enabled: true } || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // A hash from older, weaker parameters: replaced now that the password is known.
            await UpdateHashAsync(user.UserName, Hasher.HashPassword(user, password), cancellationToken);
        }

        return user;
    }

    /// <summary>The user named <paramref name="userName"/> as stored now (disabled ones included), or null.</summary>
    public async ValueTask<UserRecord?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return await FindRowAsync(userName, cancellationToken) is { } row ? new UserRecord(row.UserName, row.Scope, row.Enabled) : null;
    }

    /// <summary>Replaces the password of <paramref name="userName"/>; false when there is no such user.</summary>
    public async ValueTask<bool> SetPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        return await UpdateHashAsync(userName, Hasher.HashPassword(new UserRecord(userName, ""), password), cancellationToken) == 1;
    }

    /// <summary>Removes the user <paramref name="userName"/>; false when there was none. Revoke the user's tokens as well.</summary>
    public async ValueTask<bool> RemoveAsync(string userName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        return await DeleteAsync(userName, cancellationToken) == 1;
    }

    /// <summary>Adds a user unless one of that name exists (an existing user is left unchanged); true when added.</summary>
    public async ValueTask<bool> AddIfMissingAsync(string userName, string password, string scope, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(scope);
        string hash = Hasher.HashPassword(new UserRecord(userName, scope), password);
        return await InsertIfMissingAsync(userName, hash, scope, cancellationToken) == 1;
    }

    /// <summary>A row of <c>auth_users</c>.</summary>
    private sealed record UserRow(string UserName, string PasswordHash, string Scope, bool Enabled);

    [Sql("SELECT user_name, password_hash, scope, enabled FROM auth_users WHERE user_name = @userName")]
    private partial Task<UserRow?> FindRowAsync(string userName, CancellationToken cancellationToken);

    // ON CONFLICT … DO NOTHING: SQLite 3.24+ and PostgreSQL 9.5+; a concurrent seed of the same name is not an error.
    [Sql("""
        INSERT INTO auth_users (user_name, password_hash, scope) VALUES (@userName, @passwordHash, @scope)
        ON CONFLICT (user_name) DO NOTHING
        """)]
    private partial Task<int> InsertIfMissingAsync(string userName, string passwordHash, string scope, CancellationToken cancellationToken);

    [Sql("UPDATE auth_users SET password_hash = @passwordHash WHERE user_name = @userName")]
    private partial Task<int> UpdateHashAsync(string userName, string passwordHash, CancellationToken cancellationToken);

    [Sql("DELETE FROM auth_users WHERE user_name = @userName")]
    private partial Task<int> DeleteAsync(string userName, CancellationToken cancellationToken);
}
