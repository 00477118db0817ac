package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One change a turn makes to an execution's progress. A turn never changes the progress itself: it applies each of
 * these through the {@link Applier}, and the {@link Effects} (records the worker writes) are made from the same
 * events, so the stored state and what is published cannot disagree. Applying a turn's events, in order, to the
 * progress it started from gives the progress it ended with.
 */
sealed interface ProgressEvent {

    /** Changes the progress as this event says, through its applier in {@link Applier}. */
    void applyTo(Progress progress);

    /** Adds to the effects what this event asks of the world; most ask nothing. */
    default void addTo(Effects effects) {
    }

    /** The run started at {@code at}: the {@code startedAt} of {@code $workflow}. */
    record RunStarted(Instant at) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.runStarted(progress, this);
        }
    }

    /** The workflow's input after its {@code input.from}. */
    record InputSet(JsonNode input) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.inputSet(progress, this);
        }
    }

    /** A task's {@code export.as} replaced {@code $context}. */
    record ContextSet(JsonNode context) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.contextSet(progress, this);
        }
    }

    /** The workflow's timeout timer ({@code 0}: none). */
    record WorkflowTimeoutSet(long timer) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.workflowTimeoutSet(progress, this);
        }
    }

    /** A fiber started: the main line, or a fork's branch; fiber numbers go on from {@code id}. */
    record FiberStarted(int id, int parent, int branch, Map<String, JsonNode> inherited, Signal next)
            implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.fiberStarted(progress, this);
        }
    }

    /** A fiber ended or was cut short. */
    record FiberEnded(int fiber) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.fiberEnded(progress, this);
        }
    }

    /** A fiber has a signal to handle next, or, when {@code next} is null, waits. */
    record Signalled(int fiber, Signal next) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.signalled(progress, this);
        }
    }

    /** The turn took a fiber's signal to handle it: one more step of the execution. */
    record SignalTaken(int fiber) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.signalTaken(progress, this);
        }
    }

    record FramePushed(int fiber, Frame frame) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.framePushed(progress, this);
        }
    }

    record FramePopped(int fiber) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.framePopped(progress, this);
        }
    }

    /** The frame at {@code index} of a fiber's stack became {@code frame}. */
    record FrameReplaced(int fiber, int index, Frame frame) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.frameReplaced(progress, this);
        }
    }

    /** A timer was set (or set again, moved, by a redrive or a resume); numbers go on from its. */
    record TimerScheduled(Timer timer) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.timerScheduled(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addScheduled(timer);
        }
    }

    /** A timer set in this or an earlier turn is no longer wanted. */
    record TimerCancelled(Timer timer) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.timerCancelled(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addCancelled(timer);
        }
    }

    /** A timer came due and is handled. */
    record TimerFired(long seq) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.timerFired(progress, this);
        }
    }

    /** A timer of a redrive point that is set nowhere, dropped from it. */
    record TimerForgotten(long seq) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.timerForgotten(progress, this);
        }
    }

    /** An activity was dispatched (again, after a lost lease or a redrive); numbers go on from its. */
    record ActivityDispatched(Activity activity) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.activityDispatched(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addDispatched(activity);
        }
    }

    /** An activity's result arrived and is handled. */
    record ActivityReported(long seq) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.activityReported(progress, this);
        }
    }

    /** An activity is no longer waited on: its runner should stop it, and its result is ignored. */
    record ActivityAbandoned(Activity activity) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.activityAbandoned(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addAbandoned(activity);
        }
    }

    /**
     * A {@code run: workflow} task started a subflow; {@code child} is what the run waits on (null when the task does
     * not await it). Numbers go on from its.
     */
    record ChildStarted(Child child, ChildStart start) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.childStarted(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addStarted(start);
        }
    }

    /** A subflow the run waited on ended and is handled, or was stopped before a redrive: no longer waited on. */
    record ChildEnded(long seq) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.childEnded(progress, this);
        }
    }

    /** A subflow is no longer waited on (a stop, a timeout, a lost race, the run's end): it is stopped too. */
    record ChildAbandoned(Child child) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.childAbandoned(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addAbandonedChild(child);
        }
    }

    /** An {@code emit} wrote {@code event} (a CloudEvent as JSON, structured mode); numbers go on from its. */
    record EventEmitted(long number, JsonNode event) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.eventEmitted(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addEmitted(event);
        }
    }

    /** A {@code listen} opened: the index routes matching events to it; numbers go on from its. */
    record SubscriptionOpened(Subscription subscription) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.subscriptionOpened(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addSubscribed(subscription);
        }
    }

    /** A {@code listen} consumed an event and goes on listening. */
    record SubscriptionUpdated(Subscription subscription) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.subscriptionUpdated(progress, this);
        }
    }

    /** A {@code listen} ended, however it ended: the index drops it. */
    record SubscriptionClosed(Subscription subscription) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.subscriptionClosed(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addUnsubscribed(subscription);
        }
    }

    /** An event sent to this execution alone that no open {@code listen} took is held for one that opens later. */
    record EventHeld(Progress.Held held) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.eventHeld(progress, this);
        }
    }

    /**
     * A listen consumed an event (its key) at {@code at}; keys consumed before {@code forgetBefore} are forgotten. The
     * run is now at least {@code hops} events long.
     */
    record EventConsumed(String key, Instant at, Instant forgetBefore, int hops) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.eventConsumed(progress, this);
        }
    }

    /** A held event was consumed, or held for too long. */
    record HeldEventDropped(String key) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.heldEventDropped(progress, this);
        }
    }

    /** A task ended, however it ended: its step in history. */
    record TaskEnded(TaskStep step) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.taskEnded(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.addStep(step);
        }
    }

    /** A redrive point takes over the counters of the run it was kept from, so no number is used twice. */
    record CountersCarried(long seq, long steps, long transitions) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.countersCarried(progress, this);
        }
    }

    /** The run ended; a redrive goes on from {@code redrivePoint} (null: none). */
    record RunEnded(Outcome outcome, Progress redrivePoint) implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.runEnded(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.setEnded(outcome, redrivePoint);
        }
    }

    /** The turn spent its budget with fibers still runnable: a continuation must follow. */
    record Yielded() implements ProgressEvent {
        @Override
        public void applyTo(Progress progress) {
            Applier.yielded(progress, this);
        }

        @Override
        public void addTo(Effects effects) {
            effects.setYielded();
        }
    }
}
