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
import java.util.List;

/**
 * The one place a {@link Progress} changes: each kind of {@link ProgressEvent} has its applier here, as Zeebe's event
 * appliers are, and names it ({@link ProgressEvent#applyTo}), so a kind without one does not compile. An event that
 * only the effects care about (the run ended, the turn yielded) changes nothing here.
 */
final class Applier {

    private Applier() {
    }

    static void runStarted(Progress p, RunStarted e) {
        p.startedAt = e.at();
    }

    static void inputSet(Progress p, InputSet e) {
        p.input = e.input();
    }

    static void contextSet(Progress p, ContextSet e) {
        p.context = e.context();
    }

    static void workflowTimeoutSet(Progress p, WorkflowTimeoutSet e) {
        p.workflowTimeout = e.timer();
    }

    static void fiberStarted(Progress p, FiberStarted e) {
        p.fibers.put(e.id(), new Fiber(e.id(), e.parent(), e.branch(), e.inherited(), List.of(), e.next()));
        p.nextFiber = Math.max(p.nextFiber, e.id() + 1);
    }

    static void fiberEnded(Progress p, FiberEnded e) {
        Fiber fiber = p.fibers.remove(e.fiber());
        if (fiber != null) {
            fiber.next = null;
        }
    }

    static void signalled(Progress p, Signalled e) {
        p.fibers.get(e.fiber()).next = e.next();
    }

    static void signalTaken(Progress p, SignalTaken e) {
        p.fibers.get(e.fiber()).next = null;
        p.transitions++;
    }

    static void framePushed(Progress p, FramePushed e) {
        p.fibers.get(e.fiber()).stack.add(e.frame());
    }

    static void framePopped(Progress p, FramePopped e) {
        List<Frame> stack = p.fibers.get(e.fiber()).stack;
        stack.remove(stack.size() - 1);
    }

    static void frameReplaced(Progress p, FrameReplaced e) {
        p.fibers.get(e.fiber()).stack.set(e.index(), e.frame());
    }

    static void timerScheduled(Progress p, TimerScheduled e) {
        p.timers.put(e.timer().seq(), e.timer());
        p.seq = Math.max(p.seq, e.timer().seq());
    }

    static void timerCancelled(Progress p, TimerCancelled e) {
        p.timers.remove(e.timer().seq());
    }

    static void timerFired(Progress p, TimerFired e) {
        p.timers.remove(e.seq());
    }

    static void timerForgotten(Progress p, TimerForgotten e) {
        p.timers.remove(e.seq());
    }

    static void activityDispatched(Progress p, ActivityDispatched e) {
        p.activities.put(e.activity().seq(), e.activity());
        p.seq = Math.max(p.seq, e.activity().seq());
    }

    static void activityReported(Progress p, ActivityReported e) {
        p.activities.remove(e.seq());
    }

    static void activityAbandoned(Progress p, ActivityAbandoned e) {
        p.activities.remove(e.activity().seq());
    }

    static void childStarted(Progress p, ProgressEvent.ChildStarted e) {
        if (e.child() != null) {
            p.children.put(e.child().seq(), e.child());
        }
        p.seq = Math.max(p.seq, e.start().seq());
    }

    static void childEnded(Progress p, ProgressEvent.ChildEnded e) {
        p.children.remove(e.seq());
    }

    static void childAbandoned(Progress p, ProgressEvent.ChildAbandoned e) {
        p.children.remove(e.child().seq());
    }

    static void eventEmitted(Progress p, EventEmitted e) {
        p.seq = Math.max(p.seq, e.number());
    }

    static void subscriptionOpened(Progress p, ProgressEvent.SubscriptionOpened e) {
        p.subscriptions.put(e.subscription().seq(), e.subscription());
        p.seq = Math.max(p.seq, e.subscription().seq());
    }

    static void subscriptionUpdated(Progress p, ProgressEvent.SubscriptionUpdated e) {
        p.subscriptions.put(e.subscription().seq(), e.subscription());
    }

    static void subscriptionClosed(Progress p, ProgressEvent.SubscriptionClosed e) {
        p.subscriptions.remove(e.subscription().seq());
    }

    static void eventHeld(Progress p, ProgressEvent.EventHeld e) {
        p.held.add(e.held());
    }

    static void eventConsumed(Progress p, ProgressEvent.EventConsumed e) {
        p.consumed.values().removeIf(at -> at.isBefore(e.forgetBefore()));
        p.consumed.put(e.key(), e.at());
        p.hops = Math.max(p.hops, e.hops());
    }

    static void heldEventDropped(Progress p, ProgressEvent.HeldEventDropped e) {
        p.held.removeIf(h -> Subscription.keyOf(h.event()).equals(e.key()));
    }

    static void taskEnded(Progress p, TaskEnded e) {
        p.steps = Math.max(p.steps, e.step().sequence());
    }

    static void countersCarried(Progress p, CountersCarried e) {
        p.seq = e.seq();
        p.steps = e.steps();
        p.transitions = e.transitions();
    }

    /** The run's end changes no progress: the effects carry it. */
    static void runEnded(Progress p, RunEnded e) {
    }

    /** A yield changes no progress: the effects carry it. */
    static void yielded(Progress p, Yielded e) {
    }

    /** Applies one event to the progress: the event names its own applier here. */
    static void apply(Progress progress, ProgressEvent event) {
        event.applyTo(progress);
    }
}
