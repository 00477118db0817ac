-- Why the log refused a request's or a workflow's record for good (too large for the topic, say); such a row is
-- published no more. A refused request's key answers the refusal until the idempotency window forgets it.
ALTER TABLE execution_requests ADD COLUMN refusal text;
ALTER TABLE workflows ADD COLUMN refusal text;
DROP INDEX execution_requests_unpublished;
CREATE INDEX execution_requests_unpublished ON execution_requests (accepted_at)
    WHERE published_at IS NULL AND refusal IS NULL;
DROP INDEX execution_requests_accepted;
CREATE INDEX execution_requests_accepted ON execution_requests (accepted_at)
    WHERE published_at IS NOT NULL OR refusal IS NOT NULL;
DROP INDEX workflows_unpublished;
CREATE INDEX workflows_unpublished ON workflows (updated_at) WHERE published_at IS NULL AND refusal IS NULL;
