using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Identity;
using Rampart;

namespace Orders.Auth;

/// <summary>A user of the first-party login: the name, the permissions granted at login, and the password hash.</summary>
public sealed record UserRecord(string UserName, string Scope);

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
    /// The user when <paramref name="userName"/> exists and <paramref name="password"/> is theirs, else null;
    /// the same hashing work is done either way.
    /// </summary>
    public async ValueTask<UserRecord?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        UserRecord? user = null;
        string hash = DecoyHash;
        if (await FindAsync(userName, cancellationToken) is { } row)
        {
            user = new UserRecord(row.UserName, row.Scope);
            hash = row.PasswordHash;
        }

        var result = Hasher.VerifyHashedPassword(user ?? new UserRecord("decoy", ""), hash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
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
    private sealed record UserRow(string UserName, string PasswordHash, string Scope);

    [Sql("SELECT user_name, password_hash, scope FROM auth_users WHERE user_name = @userName")]
    private partial Task<UserRow?> FindAsync(string userName, CancellationToken cancellationToken);

    // ON CONFLICT … DO NOTHING: SQLite 3.24+ and PostgreSQL 9.5+; a concurrent seed of the same name is not an error.
    [Sql("""
        INSERT INTO auth_users (user_name, password_hash, scope) VALUES (@userName, @passwordHash, @scope)
        ON CONFLICT (user_name) DO NOTHING
        """)]
    private partial Task<int> InsertIfMissingAsync(string userName, string passwordHash, string scope, CancellationToken cancellationToken);

    [Sql("UPDATE auth_users SET password_hash = @passwordHash WHERE user_name = @userName")]
    private partial Task<int> UpdateHashAsync(string userName, string passwordHash, CancellationToken cancellationToken);
}
