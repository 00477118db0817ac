-- The execution view: one row per execution, updated only by newer status events (higher sequence).
CREATE TABLE executions (
    execution_id  uuid        PRIMARY KEY,
    tenant        text        NOT NULL,
    workflow_id   text        NOT NULL,
    status        text        NOT NULL,
    sequence      bigint      NOT NULL,
    attempt       int         NOT NULL,
    input_json    jsonb,
    output_json   jsonb,
    error_code    text,
    error_message text,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX executions_tenant_started ON executions (tenant, started_at DESC, execution_id);
CREATE INDEX executions_tenant_workflow_started ON executions (tenant, workflow_id, started_at DESC, execution_id);

-- One row per status change, for history; duplicates of the same sequence are ignored.
CREATE TABLE execution_history (
    execution_id  uuid        NOT NULL,
    sequence      bigint      NOT NULL,
    status        text        NOT NULL,
    attempt       int         NOT NULL,
    error_code    text,
    error_message text,
    occurred_at   timestamptz NOT NULL,
    PRIMARY KEY (execution_id, sequence)
);
