package io.runstream.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one turn of the machine asks the world to do: task steps to record, events to emit, timers to set and to drop,
 * activities to dispatch and to abandon, subflows to start and to stop, the outcome if the run ended (and where a
 * redrive would go on from), and whether it yielded with work left. It is made from the turn's
 * {@link ProgressEvent}s, the same events the {@link Applier} applies to the progress (each adds what it asks,
 * {@link ProgressEvent#addTo}), and keeps them in order.
 */
public final class Effects {

    private final List<ProgressEvent> events = new ArrayList<>();
    private final List<TaskStep> steps = new ArrayList<>();
    private final List<com.fasterxml.jackson.databind.JsonNode> emitted = new ArrayList<>();
    private final List<Timer> scheduled = new ArrayList<>();
    private final List<Timer> cancelled = new ArrayList<>();
    private final List<Activity> dispatched = new ArrayList<>();
    private final List<Activity> abandoned = new ArrayList<>();
    private final List<Subscription> subscribed = new ArrayList<>();
    private final List<Subscription> unsubscribed = new ArrayList<>();
    private final List<ChildStart> started = new ArrayList<>();
    private final List<Child> abandonedChildren = new ArrayList<>();
    private Outcome outcome;
    private Progress redrivePoint;
    private boolean yielded;
    private boolean moved;

    /** Takes an event of the turn, after the applier applied it to the progress. */
    void record(ProgressEvent event) {
        events.add(event);
        event.addTo(this);
    }

    /** The turn's events, in the order they were applied. */
    List<ProgressEvent> events() {
        return Collections.unmodifiableList(events);
    }

    void addStep(TaskStep step) {
        steps.add(step);
    }

    void addEmitted(com.fasterxml.jackson.databind.JsonNode event) {
        emitted.add(event);
    }

    void addScheduled(Timer timer) {
        scheduled.add(timer);
    }

    void addDispatched(Activity activity) {
        dispatched.add(activity);
    }

    void setEnded(Outcome ended, Progress point) {
        this.outcome = ended;
        this.redrivePoint = point;
    }

    void setYielded() {
        this.yielded = true;
    }

    void addCancelled(Timer timer) {
        if (!scheduled.remove(timer)) {
            cancelled.add(timer);
        }
    }

    void addAbandoned(Activity activity) {
        dispatched.removeIf(a -> a.seq() == activity.seq());
        abandoned.add(activity);
    }

    void addSubscribed(Subscription subscription) {
        subscribed.removeIf(s -> s.seq() == subscription.seq());
        subscribed.add(subscription);
    }

    void addUnsubscribed(Subscription subscription) {
        if (!subscribed.removeIf(s -> s.seq() == subscription.seq())) {
            unsubscribed.add(subscription);
        }
    }

    void addStarted(ChildStart start) {
        started.add(start);
    }

    /** A child started in this turn and abandoned in it too is never started; one started earlier is stopped. */
    void addAbandonedChild(Child child) {
        if (!started.removeIf(s -> s.seq() == child.seq())) {
            abandonedChildren.add(child);
        }
    }

    void markMoved() {
        this.moved = true;
    }

    public List<TaskStep> steps() {
        return steps;
    }

    /** Events {@code emit} tasks wrote in this turn, each a CloudEvent as JSON (structured mode), in order. */
    public List<com.fasterxml.jackson.databind.JsonNode> emitted() {
        return emitted;
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

    /** Listens opened in this turn and still open at its end: the correlation index routes events to them. */
    public List<Subscription> subscribed() {
        return subscribed;
    }

    /** Listens opened in an earlier turn that ended in this one: the index drops them. */
    public List<Subscription> unsubscribed() {
        return unsubscribed;
    }

    /** Subflows started in this turn and still wanted at its end: the worker starts each as an execution. */
    public List<ChildStart> started() {
        return started;
    }

    /** Subflows started in an earlier turn that are no longer waited on: the worker stops each. */
    public List<Child> abandonedChildren() {
        return abandonedChildren;
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
