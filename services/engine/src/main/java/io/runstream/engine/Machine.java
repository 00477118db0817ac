package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The workflow interpreter as a deterministic step function, {@code (progress, event) -> (progress', effects)}: the
 * time ({@code now}, the processor's clock read once per input) and the randomness ({@code seed}, one per execution
 * and redrive, see {@link Seeds}) are inputs too, so the same input on the same progress gives the same result.
 * Tasks without side effects advance here, in the caller's thread; side effects leave as activities and come back
 * as results, and waits, retry delays and timeouts are timers the caller keeps. The caller stores the progress and
 * carries out the effects, in one transaction with whatever else the input caused.
 */
public final class Machine {

    private final Limits limits;
    private final SecretReferences secretReferences;
    private final Subflows subflows;
    private final Expressions expressions = new Expressions();

    /** A machine whose runs cannot name secrets: a call that does fails (for tests and tools). */
    public Machine(Limits limits) {
        this(limits, (executionId, reference) -> {
            throw new IllegalStateException("this machine has no key to sign secret references with");
        });
    }

    /**
     * A machine whose runs find no workflow to run as a subflow.
     *
     * @param secretReferences signs the references to secrets that runs' calls carry
     */
    public Machine(Limits limits, SecretReferences secretReferences) {
        this(limits, secretReferences, Subflows.NONE);
    }

    /** @param subflows the catalog {@code run: workflow} tasks find the workflows they run in */
    public Machine(Limits limits, SecretReferences secretReferences, Subflows subflows) {
        this.limits = limits;
        this.secretReferences = secretReferences;
        this.subflows = subflows;
    }

    /** Starts a run into an empty progress. */
    public Effects start(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        turn.start(rawInput);
        return run(turn);
    }

    /** Goes on after a turn that yielded. */
    public Effects resume(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed) {
        return run(turn(definition, progress, rawInput, now, seed));
    }

    /** A timer of this execution came due. */
    public Effects timerFired(Definition definition, Progress progress, JsonNode rawInput, long seq, Instant now,
            long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        return Wakeups.timer(turn, seq) ? run(turn) : turn.effects;
    }

    /** A runner reported the result of an activity. */
    public Effects activityReported(Definition definition, Progress progress, JsonNode rawInput, long seq,
            HttpResponse response, Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        return Wakeups.activity(turn, seq, response) ? run(turn) : turn.effects;
    }

    /** A subflow the execution started ended: the task that waits on it goes on with its output, or its error. */
    public Effects childEnded(Definition definition, Progress progress, JsonNode rawInput, String childExecutionId,
            ChildOutcome outcome, Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        return Wakeups.child(turn, childExecutionId, outcome) ? run(turn) : turn.effects;
    }

    /**
     * An event reached the execution: for its listen {@code subscription}, or, when that is 0, sent to it alone
     * (a signal), for whichever open listen takes it first, or else held for one that opens later.
     */
    public Effects eventDelivered(Definition definition, Progress progress, JsonNode rawInput, long subscription,
            JsonNode event, Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        return Wakeups.event(turn, subscription, event) ? run(turn) : turn.effects;
    }

    /**
     * The correlation index did not take listen {@code subscription}: its tenant has as many listens open that every
     * event visits as it allows. The listen fails with the spec's runtime error (429), which a {@code try} can catch.
     */
    public Effects listenRefused(Definition definition, Progress progress, JsonNode rawInput, long subscription,
            Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        return Wakeups.refused(turn, subscription) ? run(turn) : turn.effects;
    }

    /**
     * Reopens a run that failed from its redrive point ({@link Effects#redrivePoint()}), which it then goes on from:
     * see {@link Redrive}. {@code failedFor} is how long it lay failed.
     */
    public Effects redrive(Definition definition, Progress point, JsonNode rawInput, java.time.Duration failedFor,
            Instant now, long seed) {
        Turn turn = turn(definition, point, rawInput, now, seed);
        Redrive.reopen(turn, failedFor);
        return run(turn);
    }

    /** Stops the run wherever it is: its tasks are cancelled, its timers, activities and subflows dropped. */
    public Effects cancel(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed) {
        Turn turn = turn(definition, progress, rawInput, now, seed);
        Cancellation.all(turn);
        turn.effects.markMoved();
        return turn.effects;
    }

    private static Effects run(Turn turn) {
        turn.run();
        turn.effects.markMoved();
        return turn.effects;
    }

    private Turn turn(Definition definition, Progress progress, JsonNode rawInput, Instant now, long seed) {
        return new Turn(definition, progress, rawInput, now, seed, limits, expressions, secretReferences, subflows);
    }
}
