package io.runstream.worker.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * What one turn of the machine asks the world to do: task steps to record, timers to set and to drop, activities to
 * dispatch and to abandon, the outcome if the run ended, and whether it yielded with work left.
 */
public final class Effects {

    private final List<TaskStep> steps = new ArrayList<>();
    private final List<Timer> scheduled = new ArrayList<>();
    private final List<Timer> cancelled = new ArrayList<>();
    private final List<Activity> dispatched = new ArrayList<>();
    private final List<Activity> abandoned = new ArrayList<>();
    private Outcome outcome;
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

    /** False when the input changed nothing: a stale timer or result, or one already applied. */
    public boolean moved() {
        return moved;
    }

    /** True when the turn ran out of its step budget with fibers still runnable: a continuation must follow. */
    public boolean yielded() {
        return yielded;
    }
}
