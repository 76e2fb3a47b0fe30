-- Notes, owned by the subject of the token that created them.
CREATE TABLE notes (
    id UUID PRIMARY KEY,
    owner_id VARCHAR(200) NOT NULL,
    title VARCHAR(100) NOT NULL,
    text VARCHAR(2000) NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_notes_owner ON notes (owner_id, created_at);
