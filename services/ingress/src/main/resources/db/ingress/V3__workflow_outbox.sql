-- When the workflow's current state (latest version and activation) reached runstream.workflows; null until then.
ALTER TABLE workflows ADD COLUMN published_at timestamptz;
CREATE INDEX workflows_unpublished ON workflows (updated_at) WHERE published_at IS NULL;
