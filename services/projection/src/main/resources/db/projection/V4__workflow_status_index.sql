-- Workflow and status together: without this, a status that is rare (or absent) in a big workflow makes the
-- workflow index scan every execution of the workflow (measured: 1.5 s at 10 million rows; 10 ms with it).
CREATE INDEX IF NOT EXISTS executions_tenant_workflow_status_started
    ON executions (tenant, workflow_id, status, started_at, execution_id);
