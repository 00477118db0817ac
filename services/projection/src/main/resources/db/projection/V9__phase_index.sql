-- Executions waiting on timers or paused, by phase: counted for the parked and suspended gauges, and the list's
-- phase filter. Only those rows are in it, so it stays as small as the executions in a phase.
CREATE INDEX executions_by_phase ON executions (phase) WHERE phase IS NOT NULL;
