-- Orders, owned by the subject of the token that created them. Portable: SQLite and PostgreSQL.
CREATE TABLE orders (
    id UUID PRIMARY KEY,
    owner_id VARCHAR(200) NOT NULL,
    product_id VARCHAR(8) NOT NULL,
    quantity INTEGER NOT NULL,
    note VARCHAR(500) NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_orders_owner_created ON orders (owner_id, created_at);
