-- The events a task step consumed or emitted (a JSON array of {direction, type, source, id}); null for none. JSON
-- text, as input and output are (V10): nothing queries inside it, and user data in an event's id must not stop it.
ALTER TABLE execution_task_steps ADD COLUMN events text;
