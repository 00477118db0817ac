-- Keys older than the idempotency window are forgotten oldest first, once published.
CREATE INDEX execution_requests_accepted ON execution_requests (accepted_at) WHERE published_at IS NOT NULL;
