-- Iterations of a for loop and retries run their tasks at the same position, and may start in the same
-- millisecond: the step number from the runner keeps each of them.
ALTER TABLE execution_task_steps ADD COLUMN step bigint NOT NULL DEFAULT 0;
ALTER TABLE execution_task_steps DROP CONSTRAINT execution_task_steps_pkey;
ALTER TABLE execution_task_steps ADD PRIMARY KEY (execution_id, attempt, position, started_at, step);
