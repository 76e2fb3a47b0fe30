using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Orders.Auth;

/// <summary>A user of the first-party login: the name, the permissions granted at login, and the password hash.</summary>
public sealed record UserRecord(string UserName, string Scope);

/// <summary>
/// The sample's users, in the SQLite database <c>App_Data/orders.db</c> (<c>ConnectionStrings:Orders</c>),
/// table <c>auth_users</c> (created on first use). Passwords are kept only as ASP.NET Core Identity
/// <see cref="PasswordHasher{TUser}"/> hashes (PBKDF2-HMAC-SHA512, 100,000 iterations, random salt).
/// Every statement is a constant with parameters.
/// </summary>
public sealed class UserStore
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS auth_users (user_name TEXT NOT NULL PRIMARY KEY, password_hash TEXT NOT NULL, scope TEXT NOT NULL)";

    private const string Select = "SELECT user_name, password_hash, scope FROM auth_users WHERE user_name = $name";

    private const string InsertIfMissing =
        "INSERT INTO auth_users (user_name, password_hash, scope) VALUES ($name, $hash, $scope) ON CONFLICT (user_name) DO NOTHING";

    private const string UpdateHash = "UPDATE auth_users SET password_hash = $hash WHERE user_name = $name";

    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verified against when the user does not exist, so an unknown name costs the same PBKDF2 work as a
    // wrong password: the response time does not tell which names exist.
    private static readonly string DecoyHash = Hasher.HashPassword(new UserRecord("decoy", ""), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates a store on <paramref name="connectionString"/>; a file database's folder is created when missing.</summary>
    public UserStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>
    /// The user when <paramref name="userName"/> exists and <paramref name="password"/> is theirs, else null;
    /// the same hashing work is done either way.
    /// </summary>
    public async ValueTask<UserRecord?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        await using var connection = await OpenAsync(cancellationToken);
        UserRecord? user = null;
        string hash = DecoyHash;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Select;
            command.Parameters.AddWithValue("$name", userName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                user = new UserRecord(reader.GetString(0), reader.GetString(2));
                hash = reader.GetString(1);
            }
        }

        var result = Hasher.VerifyHashedPassword(user ?? new UserRecord("decoy", ""), hash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // A hash from older, weaker parameters: replaced now that the password is known.
            await using var update = connection.CreateCommand();
            update.CommandText = UpdateHash;
            update.Parameters.AddWithValue("$name", user.UserName);
            update.Parameters.AddWithValue("$hash", Hasher.HashPassword(user, password));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>Adds a user unless one of that name exists (an existing user is left unchanged); true when added.</summary>
    public async ValueTask<bool> AddIfMissingAsync(string userName, string password, string scope, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentNullException.ThrowIfNull(scope);
        var user = new UserRecord(userName, scope);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertIfMissing;
        command.Parameters.AddWithValue("$name", userName);
        command.Parameters.AddWithValue("$hash", Hasher.HashPassword(user, password));
        command.Parameters.AddWithValue("$scope", scope);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!_initialized)
            {
                await _initialize.WaitAsync(cancellationToken);
                try
                {
                    if (!_initialized)
                    {
                        await using var command = connection.CreateCommand();
                        command.CommandText = CreateTable;
                        await command.ExecuteNonQueryAsync(cancellationToken);
                        _initialized = true;
                    }
                }
                finally
                {
                    _initialize.Release();
                }
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
