-- The executions v1 fields that executions are searched by, kept from the QUEUED event's metadata.
ALTER TABLE executions
    ADD COLUMN source_system    text GENERATED ALWAYS AS (metadata ->> 'sourceSystem') STORED,
    ADD COLUMN external_ref     text GENERATED ALWAYS AS (metadata ->> 'externalRef') STORED,
    ADD COLUMN source_entity_id text GENERATED ALWAYS AS (metadata ->> 'sourceEntityId') STORED;

-- One index per filter, each ending in the order column and the id in the same direction, so keyset pages are
-- index range scans (read forwards for ascending pages, backwards for descending ones). V1's indexes mixed
-- directions (started_at DESC, execution_id ASC), which a (started_at, execution_id) keyset cannot use in order.
DROP INDEX executions_tenant_started;
DROP INDEX executions_tenant_workflow_started;
CREATE INDEX executions_tenant_started ON executions (tenant, started_at, execution_id);
CREATE INDEX executions_tenant_workflow_started ON executions (tenant, workflow_id, started_at, execution_id);
CREATE INDEX executions_tenant_status_started ON executions (tenant, status, started_at, execution_id);
CREATE INDEX executions_tenant_finished ON executions (tenant, finished_at, execution_id)
    WHERE finished_at IS NOT NULL;
CREATE INDEX executions_tenant_workflow_finished ON executions (tenant, workflow_id, finished_at, execution_id)
    WHERE finished_at IS NOT NULL;
CREATE INDEX executions_tenant_source_system_started ON executions (tenant, source_system, started_at, execution_id)
    WHERE source_system IS NOT NULL;
CREATE INDEX executions_tenant_external_ref_started ON executions (tenant, external_ref, started_at, execution_id)
    WHERE external_ref IS NOT NULL;
CREATE INDEX executions_tenant_source_entity_started ON executions (tenant, source_entity_id, started_at, execution_id)
    WHERE source_entity_id IS NOT NULL;
