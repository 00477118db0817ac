-- Every version of every workflow definition; versions count up from 1 per workflow.
CREATE TABLE workflow_definitions (
    tenant      text        NOT NULL,
    workflow_id text        NOT NULL,
    version     int         NOT NULL,
    format      text        NOT NULL,
    definition  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant, workflow_id, version)
);

-- One row per workflow: its latest version and whether new executions may start.
CREATE TABLE workflows (
    tenant         text        NOT NULL,
    workflow_id    text        NOT NULL,
    latest_version int         NOT NULL,
    active         boolean     NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant, workflow_id)
);

-- The definition version each execution was started with.
ALTER TABLE execution_requests ADD COLUMN workflow_version int;
