package io.runstream.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What one turn of the machine asks the world to do: task steps to record, timers to set and to drop, activities to
 * dispatch and to abandon, the outcome if the run ended (and where a redrive would go on from), and whether it
 * yielded with work left.
 */
public final class Effects {

    private final List<TaskStep> steps = new ArrayList<>();
    private final List<Timer> scheduled = new ArrayList<>();
    private final List<Timer> cancelled = new ArrayList<>();
    private final List<Activity> dispatched = new ArrayList<>();
    private final List<Activity> abandoned = new ArrayList<>();
    private Outcome outcome;
    private Progress redrivePoint;
    private boolean yielded;
    private boolean moved;

    void step(TaskStep step) {
        steps.add(step);
    }

    void schedule(Timer timer) {
        scheduled.add(timer);
    }

    void cancel(Timer timer) {
        if (!scheduled.remove(timer)) {
            cancelled.add(timer);
        }
    }

    void dispatch(Activity activity) {
        dispatched.add(activity);
    }

    void abandon(Activity activity) {
        dispatched.removeIf(a -> a.seq() == activity.seq());
        abandoned.add(activity);
    }

    void end(Outcome ended) {
        this.outcome = ended;
    }

    void redriveFrom(Progress point) {
        this.redrivePoint = point;
    }

    void markMoved() {
        this.moved = true;
    }

    void yield() {
        this.yielded = true;
    }

    public List<TaskStep> steps() {
        return steps;
    }

    /** Timers set in this turn and still wanted at its end. */
    public List<Timer> scheduled() {
        return scheduled;
    }

    /** Timers set in an earlier turn that are no longer wanted. */
    public List<Timer> cancelled() {
        return cancelled;
    }

    public List<Activity> dispatched() {
        return dispatched;
    }

    public List<Activity> abandoned() {
        return abandoned;
    }

    /** The outcome, or null while the execution goes on. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * For a run that failed or timed out: where a redrive goes on from, the progress as it was when the failure
     * arose, with the failed task about to run again. Null when nothing may be redriven (the run goes on, succeeded,
     * or ended on a limit that would end it again).
     */
    public Progress redrivePoint() {
        return redrivePoint;
    }

    /** False when the input changed nothing: a stale timer or result, or one already applied. */
    public boolean moved() {
        return moved;
    }

    /** True when the turn ran out of its step budget with fibers still runnable: a continuation must follow. */
    public boolean yielded() {
        return yielded;
    }
}
