namespace Rampart.Authentication;

/// <summary>
/// Where the revocation deny-list and the refresh tokens live, bound from <c>Rampart:Authentication</c>:
/// <c>Store</c> is <c>Sqlite</c> (the default; <c>ConnectionString</c>, default <c>App_Data/rampart.db</c> under
/// the content root) or <c>Memory</c> (one instance, tests). The Redis deny-list is registered in code instead.
/// </summary>
internal sealed class TokenStoreOptions
{
    public const string Sqlite = "Sqlite";

    public const string Memory = "Memory";

    public const string InvalidStore = "Rampart:Authentication:Store must be Sqlite or Memory (the Redis deny-list is registered with AddRampartRedisTokenRevocation).";

    public string Store { get; set; } = Sqlite;

    public string? ConnectionString { get; set; }

    public bool IsValid => Store is Sqlite or Memory;

    /// <summary>The SQLite connection string (its folder created), or null for the in-memory stores.</summary>
    public string? SqliteConnectionString(string contentRoot)
    {
        if (Store != Sqlite)
        {
            return null;
        }

        string connectionString = ConnectionString is { Length: > 0 } configured
            ? configured
            : "Data Source=" + System.IO.Path.Combine(contentRoot, "App_Data", "rampart.db");
        SqliteDatabase.EnsureDirectory(connectionString);
        return connectionString;
    }
}
