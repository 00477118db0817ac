package io.runstream.worker.domain;

/** Port: the outcomes of recent commands, so a command sent again is answered as it was, not decided twice. */
public interface CommandStore {

    /** The outcome of the command with this id for this execution, if it was decided within the retention. */
    CommandOutcome find(String executionId, String commandId, long now);
}
