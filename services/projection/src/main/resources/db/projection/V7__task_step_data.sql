-- Each task step's input and output as JSON text, cut by the worker to its limit (then data_truncated is set and
-- the text is not valid JSON).
ALTER TABLE execution_task_steps ADD COLUMN input_json text;
ALTER TABLE execution_task_steps ADD COLUMN output_json text;
ALTER TABLE execution_task_steps ADD COLUMN data_truncated boolean NOT NULL DEFAULT false;
