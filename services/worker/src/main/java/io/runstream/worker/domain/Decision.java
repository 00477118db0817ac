package io.runstream.worker.domain;

import java.util.List;

/**
 * What the state machine decided for one input: the next state (null when nothing changes), the status changes
 * to publish, and the run to dispatch, if any.
 */
public record Decision(Execution next, List<StatusChange> changes, RunOrder dispatch) {

    static Decision ignore() {
        return new Decision(null, List.of(), null);
    }

    public boolean changesState() {
        return next != null;
    }
}
