-- Portable between SQLite and PostgreSQL: the same file runs on both.
CREATE TABLE notes (
    id UUID PRIMARY KEY,
    owner_id VARCHAR(200) NOT NULL,
    text VARCHAR(4000) NOT NULL,
    rating INTEGER NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_notes_owner ON notes (owner_id);
