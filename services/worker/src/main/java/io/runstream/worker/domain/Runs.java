package io.runstream.worker.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.Effects;
import io.runstream.engine.Outcome;
import io.runstream.engine.Seeds;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What every decision that moves a run shares: the run's inputs to the engine (its input and its seed) and how the
 * engine's effects become the execution's next state and its status events.
 */
final class Runs {

    /** Outputs travel in one Kafka record (1 MB by default) with the rest of the status event. */
    static final int MAX_OUTPUT_BYTES = 900_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {
    }

    /**
     * Publishes how the run ended, if it did; otherwise a RUNNING event with its phase when it started or stopped
     * waiting on timers and listens alone, or, still waiting, what it waits on changed: a listen opened or closed, or
     * an event set a value a listen expects ({@code before} is what it waited on before this input, see
     * {@link #waitingOn}). Timers coming and going while it waits publish nothing, so a run that never listens
     * publishes as before.
     */
    static Decision settle(Execution running, Effects effects, List<StatusChange> changes, Instant now,
            List<ListenWait> before) {
        Outcome outcome = effects.outcome();
        if (outcome == null) {
            if (running.isSuspended() || java.util.Objects.equals(waitingOn(running), before)) {
                return new Decision(running, changes, effects, List.of());
            }
            Execution moved = running.touch(now);
            changes.add(new StatusChange(moved, now, null, null, null, Map.of(),
                    moved.isWaiting() ? Phase.WAITING : null).after(stepsTaken(running, effects)));
            return new Decision(moved, changes, effects, List.of(), null, null, running.sequence());
        }
        String output = null;
        ExecutionError error = null;
        ExecutionStatus status;
        if (outcome instanceof Outcome.Succeeded succeeded) {
            output = write(succeeded.output());
            status = ExecutionStatus.SUCCEEDED;
            int bytes = output.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_OUTPUT_BYTES) {
                status = ExecutionStatus.FAILED;
                error = new ExecutionError("OUTPUT_TOO_LARGE", "The workflow output is " + bytes
                        + " bytes; at most " + MAX_OUTPUT_BYTES + " fit in a status event. Shape it with "
                        + "output.as");
                output = null;
            }
        } else if (outcome instanceof Outcome.TimedOut timedOut) {
            status = ExecutionStatus.TIMED_OUT;
            error = new ExecutionError("WORKFLOW_TIMEOUT", timedOut.message());
        } else {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            status = ExecutionStatus.FAILED;
            error = new ExecutionError(failed.code(), failed.message());
        }
        // a run that succeeded has no redrive point, so an output too large to publish is not redriven either
        Execution finished = running.finish(status, now, effects.redrivePoint());
        changes.add(new StatusChange(finished, now, null, output, error, Map.of()).after(stepsTaken(running, effects)));
        return new Decision(finished, changes, effects, List.of(), null, null, running.sequence());
    }

    /**
     * What a waiting execution waits on that its status events show, its open listens (none if only timers); null
     * if it is not waiting.
     */
    static List<ListenWait> waitingOn(Execution execution) {
        return execution.isWaiting() ? ListenWait.of(execution.progress()) : null;
    }

    /**
     * The task steps the run has numbered once {@code effects} happened: as many as its progress counts, or the
     * number of the last step among the effects, whichever is more (a run that ends keeps no progress).
     */
    static long stepsTaken(Execution running, Effects effects) {
        long steps = StatusChange.steps(running.progress());
        if (effects != null && !effects.steps().isEmpty()) {
            steps = Math.max(steps, effects.steps().get(effects.steps().size() - 1).sequence());
        }
        return steps;
    }

    /** The randomness of the execution's current run (see {@link Seeds}). */
    static long seed(Execution execution) {
        return Seeds.of(execution.executionId(), execution.redriveCount());
    }

    static JsonNode input(Execution execution) {
        try {
            return JSON.readTree(execution.inputJson());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Execution input is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
