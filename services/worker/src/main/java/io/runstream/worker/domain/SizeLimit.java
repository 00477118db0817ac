package io.runstream.worker.domain;

import io.runstream.engine.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An execution's stored state is bounded, so a decision that would store more ends the execution instead: FAILED
 * with PROGRESS_TOO_LARGE, after the status changes the decision made, with every timer dropped, the subflows it
 * waited on stopped (those it would have started are not), and nothing else it asked for carried out, and a command it answered refused with that failure. Without the bound, the transaction
 * writing the state would abort on the changelog's record size again and again.
 */
final class SizeLimit {

    private final ExecutionStateMachine machine;
    private final StateSizes sizes;
    private final long maxBytes;

    SizeLimit(ExecutionStateMachine machine, StateSizes sizes, long maxBytes) {
        this.machine = machine;
        this.sizes = sizes;
        this.maxBytes = maxBytes;
    }

    Decision bound(Decision decision, Instant now) {
        if (!decision.changesState() || !decision.next().isLive()) {
            return decision;
        }
        long size = sizes.bytes(decision.next());
        if (size <= maxBytes) {
            return decision;
        }
        ExecutionError error = new ExecutionError("PROGRESS_TOO_LARGE", "The execution's stored state (progress and "
                + "input) grew to " + size + " bytes; at most " + maxBytes + " are kept "
                + "(runstream.worker.limits.max-progress-size). Keep less data: shape task outputs with output.as");
        Decision fault = machine.onFault(decision.next(), error, now, false);
        List<StatusChange> changes = new ArrayList<>(decision.changes());
        changes.addAll(fault.changes());
        List<Timer> dropped = new ArrayList<>(decision.effects() == null ? List.of() : decision.effects().cancelled());
        dropped.addAll(decision.dropped());
        dropped.addAll(fault.dropped());
        Decision ended = new Decision(fault.next(), List.copyOf(changes), null, List.copyOf(dropped))
                .orphaning(fault.orphans());
        return decision.outcome() == null ? ended
                : machine.refuse(ended, decision.outcome().command(), error, now);
    }
}
