-- Secrets reach the runners on the compacted topic runstream.secrets, still encrypted: published_at is when a row's
-- current sealed value was acknowledged there (null: not yet, and the sweeper publishes it); sealed_at is when it
-- was last encrypted (a put or a key's rotation), so the sweeper leaves alone what a request is publishing now.
ALTER TABLE secrets ADD COLUMN published_at timestamptz;
ALTER TABLE secrets ADD COLUMN sealed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX secrets_unpublished ON secrets (sealed_at) WHERE published_at IS NULL;
