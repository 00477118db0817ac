package io.runstream.worker.domain;

import io.runstream.engine.Progress;
import io.runstream.engine.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pause and resume: a paused execution holds what comes for it, and goes on where it was when it resumes. */
final class Suspensions {

    private Suspensions() {
    }

    /**
     * Pauses a running execution: it stops advancing, and its task and workflow timeouts leave the timer index (they
     * stay in its progress), so time spent paused does not count against them. An activity in flight still
     * completes; its result is held back, as are timers that come due, until it resumes.
     */
    static Decision pause(Execution current, ExecutionCommand command, Instant now) {
        if (current.isSuspended()) {
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_SUSPENDED", "Execution "
                    + command.executionId() + " is already paused (since " + current.suspension().since() + ")",
                    current.status(), now));
        }
        Execution paused = current.suspend(now);
        return new Decision(paused, List.of(new StatusChange(paused, now, null, null, null, Map.of())), null,
                current.progress().timeouts(), CommandOutcome.accepted(command, paused, now), null);
    }

    /**
     * Resumes a paused execution where it was: its timeouts move on by the time it was paused and go back in the
     * timer index, timers that came due meanwhile fire at once, and held-back results and continuations are sent to
     * it again. A lease whose activity's result was held back is not fired: the result is on its way.
     */
    static Decision resume(Execution current, ExecutionCommand command, Instant now) {
        if (!current.isSuspended()) {
            return Decision.only(CommandOutcome.rejected(command, "EXECUTION_NOT_SUSPENDED", "Execution "
                    + command.executionId() + " is not paused", current.status(), now));
        }
        Suspension held = current.suspension();
        Progress progress = current.progress();
        Duration paused = held.since().isBefore(now) ? Duration.between(held.since(), now) : Duration.ZERO;
        List<Timer> back = new ArrayList<>(progress.shiftTimeouts(paused));
        Set<Long> reported = new HashSet<>();
        held.results().forEach(r -> reported.add(r.activity()));
        for (long seq : held.timers()) {
            Timer timer = progress.timers().get(seq);
            boolean answered = timer != null && timer.kind() == Timer.Kind.ACTIVITY_LEASE && progress.activities()
                    .values().stream().anyMatch(a -> a.leaseTimer() == seq && reported.contains(a.seq()));
            if (timer != null && !answered) {
                back.add(timer);
            }
        }
        Execution resumed = current.resume(now);
        return new Decision(resumed, List.of(new StatusChange(resumed, now, null, null, null, Map.of(),
                resumed.isWaiting() ? Phase.WAITING : null)), null,
                List.of(), CommandOutcome.accepted(command, resumed, now),
                new Decision.Release(back, held.results(), held.continuation(), held.events(), held.children()));
    }

}
