-- Every accepted request, by idempotency key. published_at stays null until the command is on the log.
CREATE TABLE execution_requests (
    tenant          text        NOT NULL,
    workflow_id     text        NOT NULL,
    idempotency_key text        NOT NULL,
    execution_id    uuid        NOT NULL UNIQUE,
    input_json      text        NOT NULL,
    accepted_at     timestamptz NOT NULL,
    published_at    timestamptz,
    PRIMARY KEY (tenant, workflow_id, idempotency_key)
);

CREATE INDEX execution_requests_unpublished ON execution_requests (accepted_at) WHERE published_at IS NULL;
