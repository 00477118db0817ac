package io.runstream.engine;

import io.runstream.engine.ProgressEvent.ActivityAbandoned;
import io.runstream.engine.ProgressEvent.ActivityDispatched;
import io.runstream.engine.ProgressEvent.ActivityReported;
import io.runstream.engine.ProgressEvent.ContextSet;
import io.runstream.engine.ProgressEvent.CountersCarried;
import io.runstream.engine.ProgressEvent.EventEmitted;
import io.runstream.engine.ProgressEvent.FiberEnded;
import io.runstream.engine.ProgressEvent.FiberStarted;
import io.runstream.engine.ProgressEvent.FramePopped;
import io.runstream.engine.ProgressEvent.FramePushed;
import io.runstream.engine.ProgressEvent.FrameReplaced;
import io.runstream.engine.ProgressEvent.InputSet;
import io.runstream.engine.ProgressEvent.RunEnded;
import io.runstream.engine.ProgressEvent.RunStarted;
import io.runstream.engine.ProgressEvent.SignalTaken;
import io.runstream.engine.ProgressEvent.Signalled;
import io.runstream.engine.ProgressEvent.TaskEnded;
import io.runstream.engine.ProgressEvent.TimerCancelled;
import io.runstream.engine.ProgressEvent.TimerFired;
import io.runstream.engine.ProgressEvent.TimerForgotten;
import io.runstream.engine.ProgressEvent.TimerScheduled;
import io.runstream.engine.ProgressEvent.WorkflowTimeoutSet;
import io.runstream.engine.ProgressEvent.Yielded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The one place a {@link Progress} changes: each kind of {@link ProgressEvent} has its applier here, registered by
 * type, as Zeebe's event appliers are. An event that only the effects care about (the run ended, the turn yielded)
 * changes nothing here.
 */
final class Applier {

    private static final Map<Class<?>, BiConsumer<Progress, ProgressEvent>> APPLIERS = new HashMap<>();

    static {
        fibersAndData();
        timersActivitiesAndCounters();
    }

    private Applier() {
    }

    /** The run's data and its fibers: what they run and where they wait. */
    private static void fibersAndData() {
        on(RunStarted.class, (p, e) -> p.startedAt = e.at());
        on(InputSet.class, (p, e) -> p.input = e.input());
        on(ContextSet.class, (p, e) -> p.context = e.context());
        on(WorkflowTimeoutSet.class, (p, e) -> p.workflowTimeout = e.timer());
        on(FiberStarted.class, (p, e) -> {
            p.fibers.put(e.id(), new Fiber(e.id(), e.parent(), e.branch(), e.inherited(), List.of(), e.next()));
            p.nextFiber = Math.max(p.nextFiber, e.id() + 1);
        });
        on(FiberEnded.class, (p, e) -> {
            Fiber fiber = p.fibers.remove(e.fiber());
            if (fiber != null) {
                fiber.next = null;
            }
        });
        on(Signalled.class, (p, e) -> p.fibers.get(e.fiber()).next = e.next());
        on(SignalTaken.class, (p, e) -> {
            p.fibers.get(e.fiber()).next = null;
            p.transitions++;
        });
        on(FramePushed.class, (p, e) -> p.fibers.get(e.fiber()).stack.add(e.frame()));
        on(FramePopped.class, (p, e) -> {
            List<Frame> stack = p.fibers.get(e.fiber()).stack;
            stack.remove(stack.size() - 1);
        });
        on(FrameReplaced.class, (p, e) -> p.fibers.get(e.fiber()).stack.set(e.index(), e.frame()));
    }

    /** What the execution waits on, what it numbered, and what only the effects care about. */
    private static void timersActivitiesAndCounters() {
        on(TimerScheduled.class, (p, e) -> {
            p.timers.put(e.timer().seq(), e.timer());
            p.seq = Math.max(p.seq, e.timer().seq());
        });
        on(TimerCancelled.class, (p, e) -> p.timers.remove(e.timer().seq()));
        on(TimerFired.class, (p, e) -> p.timers.remove(e.seq()));
        on(TimerForgotten.class, (p, e) -> p.timers.remove(e.seq()));
        on(ActivityDispatched.class, (p, e) -> {
            p.activities.put(e.activity().seq(), e.activity());
            p.seq = Math.max(p.seq, e.activity().seq());
        });
        on(ActivityReported.class, (p, e) -> p.activities.remove(e.seq()));
        on(ActivityAbandoned.class, (p, e) -> p.activities.remove(e.activity().seq()));
        on(EventEmitted.class, (p, e) -> p.seq = Math.max(p.seq, e.number()));
        on(TaskEnded.class, (p, e) -> p.steps = Math.max(p.steps, e.step().sequence()));
        on(CountersCarried.class, (p, e) -> {
            p.seq = e.seq();
            p.steps = e.steps();
            p.transitions = e.transitions();
        });
        on(RunEnded.class, (p, e) -> {
        });
        on(Yielded.class, (p, e) -> {
        });
    }

    private static <E extends ProgressEvent> void on(Class<E> kind, BiConsumer<Progress, E> applier) {
        APPLIERS.put(kind, (progress, event) -> applier.accept(progress, kind.cast(event)));
    }

    /** Applies one event to the progress. */
    static void apply(Progress progress, ProgressEvent event) {
        BiConsumer<Progress, ProgressEvent> applier = APPLIERS.get(event.getClass());
        if (applier == null) {
            throw new IllegalStateException("No applier for " + event.getClass().getSimpleName());
        }
        applier.accept(progress, event);
    }

    /** Whether events of this kind have an applier. */
    static boolean applies(Class<?> kind) {
        return APPLIERS.containsKey(kind);
    }
}
