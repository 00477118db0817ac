-- Where each status change and task step stands among everything its execution published (the events' ordinal);
-- 0 for rows written before it, which history lists first, in the order it listed them before.
ALTER TABLE execution_history ADD COLUMN ordinal bigint NOT NULL DEFAULT 0;
ALTER TABLE execution_task_steps ADD COLUMN ordinal bigint NOT NULL DEFAULT 0;
