-- The execution whose run: workflow task started this one (a subflow), as its status events say; null for one no
-- execution started. It never changes.
ALTER TABLE executions ADD COLUMN parent_execution_id uuid;
-- A parent's subflows, by start: the list's parentExecutionId filter (and the console's execution page), a keyset
-- range scan as the other filters are (V3).
CREATE INDEX executions_tenant_parent_started ON executions (tenant, parent_execution_id, started_at, execution_id)
    WHERE parent_execution_id IS NOT NULL;
-- The subflow a run: workflow task step started; null for other steps.
ALTER TABLE execution_task_steps ADD COLUMN child_execution_id uuid;
