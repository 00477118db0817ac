package io.runstream.worker.messaging;

import io.runstream.engine.Timer;
import java.time.Duration;

/**
 * A short wait after a stall for the timers that say something did not come in time ({@link Timer.Kind#awaitsInput}:
 * leases, timeouts). A worker that takes a partition whose timers came due while no worker ran it, or whose stream
 * thread comes back from being held up (a commit while the cluster was down: its due check ran over
 * {@link #STALL} late), may have inputs waiting that came in time: an activity's result reported before its lease
 * ended, an event before its listen's timeout. Firing such a timer at once would take them for late: a lease run
 * out dispatches the call again (and the third time fails the execution {@code ACTIVITY_LOST}). So for
 * {@code catch-up} those timers are put off to its end, while the worker reads what came meanwhile; a {@code wait} or
 * a retry delay, which nothing but time ends, fires at once. The wait is a fixed time, not until the inputs are
 * read: the worker reads its topics without waiting for all of them ({@code max.task.idle.ms} -1), so a recent input
 * on one topic does not show that another's older ones were read.
 */
final class CatchUp {

    /** A due check this late ran after a stall. */
    static final Duration STALL = Duration.ofSeconds(1);

    private final long catchUpMillis;
    private long until = Long.MIN_VALUE;

    CatchUp(Duration catchUp) {
        this.catchUpMillis = catchUp.toMillis();
    }

    /** A due check ran {@code lateMillis} late: after a stall, a catch-up starts. True if it did. */
    boolean checkRan(long nowMillis, long lateMillis) {
        if (lateMillis <= STALL.toMillis()) {
            return false;
        }
        start(nowMillis);
        return true;
    }

    /** Starts a catch-up now (a task starts with timers already due), or makes the one running last from now. */
    void start(long nowMillis) {
        until = Math.max(until, nowMillis + catchUpMillis);
    }

    /** When a timer of this kind that is due now fires: now, or at the end of a catch-up running now. */
    long firesAt(Timer.Kind kind, long nowMillis) {
        return nowMillis < until && kind.awaitsInput() ? until : nowMillis;
    }

    /** True while a catch-up runs. */
    boolean running(long nowMillis) {
        return nowMillis < until;
    }

    Duration length() {
        return Duration.ofMillis(catchUpMillis);
    }
}
