package io.runstream.worker.domain;

import java.util.List;

/**
 * What the state machine decided for one input: the next state (null when nothing changes), the status changes
 * to publish, the order to send the runner, if any, and whether the current attempt's lease is renewed.
 */
public record Decision(Execution next, List<StatusChange> changes, RunOrder dispatch, boolean renewsLease) {

    Decision(Execution next, List<StatusChange> changes, RunOrder dispatch) {
        this(next, changes, dispatch, next != null && !next.status().isTerminal());
    }

    static Decision ignore() {
        return new Decision(null, List.of(), null, false);
    }

    /** The runner is still working on the current attempt: nothing changes but its lease. */
    static Decision renewLease() {
        return new Decision(null, List.of(), null, true);
    }

    public boolean changesState() {
        return next != null;
    }
}
