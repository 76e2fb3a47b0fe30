CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    note_id UUID NOT NULL REFERENCES notes (id),
    action VARCHAR(40) NOT NULL
);
