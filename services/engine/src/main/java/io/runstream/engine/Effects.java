package io.runstream.engine;

import io.runstream.engine.ProgressEvent.ActivityAbandoned;
import io.runstream.engine.ProgressEvent.ActivityDispatched;
import io.runstream.engine.ProgressEvent.EventEmitted;
import io.runstream.engine.ProgressEvent.RunEnded;
import io.runstream.engine.ProgressEvent.TaskEnded;
import io.runstream.engine.ProgressEvent.TimerCancelled;
import io.runstream.engine.ProgressEvent.TimerScheduled;
import io.runstream.engine.ProgressEvent.Yielded;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one turn of the machine asks the world to do: task steps to record, events to emit, timers to set and to drop,
 * activities to dispatch and to abandon, the outcome if the run ended (and where a redrive would go on from), and whether it
 * yielded with work left. It is made from the turn's {@link ProgressEvent}s, the same events the {@link Applier}
 * applies to the progress, and keeps them in order.
 */
public final class Effects {

    /** The events that ask something of the world, each with what it adds here; the others change only progress. */
    private static final Map<Class<?>, BiConsumer<Effects, ProgressEvent>> MAKERS = new HashMap<>();

    static {
        on(TaskEnded.class, (x, e) -> x.steps.add(e.step()));
        on(EventEmitted.class, (x, e) -> x.emitted.add(e.event()));
        on(TimerScheduled.class, (x, e) -> x.scheduled.add(e.timer()));
        on(TimerCancelled.class, (x, e) -> x.cancel(e.timer()));
        on(ActivityDispatched.class, (x, e) -> x.dispatched.add(e.activity()));
        on(ActivityAbandoned.class, (x, e) -> x.abandon(e.activity()));
        on(RunEnded.class, (x, e) -> {
            x.outcome = e.outcome();
            x.redrivePoint = e.redrivePoint();
        });
        on(Yielded.class, (x, e) -> x.yielded = true);
    }

    private final List<ProgressEvent> events = new ArrayList<>();
    private final List<TaskStep> steps = new ArrayList<>();
    private final List<com.fasterxml.jackson.databind.JsonNode> emitted = new ArrayList<>();
    private final List<Timer> scheduled = new ArrayList<>();
    private final List<Timer> cancelled = new ArrayList<>();
    private final List<Activity> dispatched = new ArrayList<>();
    private final List<Activity> abandoned = new ArrayList<>();
    private Outcome outcome;
    private Progress redrivePoint;
    private boolean yielded;
    private boolean moved;

    private static <E extends ProgressEvent> void on(Class<E> kind, BiConsumer<Effects, E> maker) {
        MAKERS.put(kind, (effects, event) -> maker.accept(effects, kind.cast(event)));
    }

    /** Takes an event of the turn, after the applier applied it to the progress. */
    void record(ProgressEvent event) {
        events.add(event);
        BiConsumer<Effects, ProgressEvent> maker = MAKERS.get(event.getClass());
        if (maker != null) {
            maker.accept(this, event);
        }
    }

    /** The turn's events, in the order they were applied. */
    List<ProgressEvent> events() {
        return Collections.unmodifiableList(events);
    }

    private void cancel(Timer timer) {
        if (!scheduled.remove(timer)) {
            cancelled.add(timer);
        }
    }

    private void abandon(Activity activity) {
        dispatched.removeIf(a -> a.seq() == activity.seq());
        abandoned.add(activity);
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
