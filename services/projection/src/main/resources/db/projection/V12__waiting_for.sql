-- The open listens a WAITING execution waits on, as its newest status event says (a JSON array of {position, types,
-- correlations, since}); null when it is not waiting on a listen. JSON text, as input and output are (V10): nothing
-- queries inside it, and user data in a correlation value must not stop the view.
ALTER TABLE executions ADD COLUMN waiting_for text;
