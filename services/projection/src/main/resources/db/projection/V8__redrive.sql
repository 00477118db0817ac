-- How many times an execution was redriven (a FAILED or TIMED_OUT execution reopened RUNNING, its sequence going on):
-- the view follows the newest event, each status change and each task step keeps the redrive it belongs to.
ALTER TABLE executions ADD COLUMN redrive_count int NOT NULL DEFAULT 0;
ALTER TABLE execution_history ADD COLUMN redrive_count int NOT NULL DEFAULT 0;
ALTER TABLE execution_task_steps ADD COLUMN redrive_count int NOT NULL DEFAULT 0;

-- A redrive goes on from the progress as it was when the failure arose, so the failed task's rerun may share its
-- attempt, position, start time and step number with the failed step: the redrive keeps the two apart.
ALTER TABLE execution_task_steps DROP CONSTRAINT execution_task_steps_pkey;
ALTER TABLE execution_task_steps ADD PRIMARY KEY (execution_id, attempt, position, started_at, step, redrive_count);
