using Microsoft.EntityFrameworkCore;

namespace Orders.AuthServer.Data;

/// <summary>OpenIddict's entities (applications, authorizations, scopes, tokens) in SQLite.</summary>
public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options)
{
}
