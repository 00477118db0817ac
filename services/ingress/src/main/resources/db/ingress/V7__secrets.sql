-- A tenant's secrets, each value encrypted (AES-256-GCM) under the key key_id names, bound to its tenant and name;
-- no column ever holds a value in clear.
CREATE TABLE secrets (
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    key_id      text        NOT NULL,
    nonce       bytea       NOT NULL,
    ciphertext  bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant, name)
);
CREATE INDEX secrets_key ON secrets (key_id);
