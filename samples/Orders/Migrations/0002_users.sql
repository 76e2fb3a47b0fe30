-- The users of the first-party login (Orders.Auth.UserStore). Passwords only as ASP.NET Core Identity
-- PBKDF2 hashes; scope is the space-separated permissions granted at login. Portable: SQLite and PostgreSQL.
CREATE TABLE auth_users (
    user_name VARCHAR(200) PRIMARY KEY,
    password_hash VARCHAR(500) NOT NULL,
    scope VARCHAR(1000) NOT NULL
);
