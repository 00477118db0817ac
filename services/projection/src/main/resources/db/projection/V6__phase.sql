-- Where a RUNNING execution is (SUSPENDED while paused); null when it simply runs. Follows the newest sequence.
ALTER TABLE executions ADD COLUMN phase text;
ALTER TABLE execution_history ADD COLUMN phase text;
