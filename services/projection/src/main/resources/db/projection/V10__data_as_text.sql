-- An execution's input and output as the JSON text the worker wrote, as task steps already keep theirs. jsonb
-- refuses the escape \u0000 (and unpaired surrogate escapes), which are valid JSON in user data: one such input
-- stopped the whole view. Nothing queries inside these columns; metadata, which is searched, stays jsonb.
ALTER TABLE executions ALTER COLUMN input_json TYPE text, ALTER COLUMN output_json TYPE text;
