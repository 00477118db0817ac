-- What the caller said about where a request comes from (sourceSystem, externalRef, ...); part of the request, so
-- a replay must carry the same metadata.
ALTER TABLE execution_requests ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';
