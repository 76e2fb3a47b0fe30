-- A user can be disabled without being removed: a disabled user can neither log in nor refresh
-- (Orders.Auth.UserRefreshValidator). Portable: SQLite 3.23+ and PostgreSQL.
ALTER TABLE auth_users ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE;
