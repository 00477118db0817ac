package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;

/**
 * One level of a fiber's stack: what an execution is in the middle of. A frame holds only what the rest of the run
 * needs: the position it stands for, the data so far, and the timers and activities it waits on (0 for none).
 */
public sealed interface Frame {

    /** The position in the definition of the task or list this frame runs. */
    String at();

    /** A task list running the task at {@code index}. */
    record ListFrame(String at, int index) implements Frame {
    }

    /**
     * A task that started: its input (which {@code output.as} and {@code export.as} still need), when it started,
     * its attempts so far (retries of a {@code try}), its timeout timer, the timer or activity a {@code wait} or
     * {@code call} waits on, and its raw input ({@code $task.input}) when its {@code input.from} changed it (null
     * when it is the input).
     */
    record TaskFrame(String at, JsonNode input, Instant startedAt, int attempts, long timeoutTimer, long waitingOn,
            JsonNode rawInput) implements Frame {

        public TaskFrame(String at, JsonNode input, Instant startedAt, int attempts, long timeoutTimer,
                long waitingOn) {
            this(at, input, startedAt, attempts, timeoutTimer, waitingOn, null);
        }

        TaskFrame withAttempts(int n) {
            return new TaskFrame(at, input, startedAt, n, timeoutTimer, waitingOn, rawInput);
        }

        TaskFrame waitingOn(long seq) {
            return new TaskFrame(at, input, startedAt, attempts, timeoutTimer, seq, rawInput);
        }

        /** The input before {@code input.from}. */
        public JsonNode taskInput() {
            return rawInput == null ? input : rawInput;
        }
    }

    /** A {@code for} loop: the items it was given, the index of the iteration running, and the data so far. */
    record ForFrame(String at, ArrayNode items, int index, JsonNode data) implements Frame {
    }

    /** A {@code try} body on its {@code attempt}, since the first started; {@code retryTimer} while waiting to retry. */
    record TryFrame(String at, int attempt, Instant firstStartedAt, long retryTimer) implements Frame {
    }

    /** A {@code catch.do} handling {@code error}, which its tasks see in the variable the catch names. */
    record CatchFrame(String at, JsonNode error) implements Frame {
    }

    /**
     * A {@code fork} waiting on its branches: each branch's fiber (0 once it finished), the outputs so far, and, for a
     * {@code compete}, each failed branch's error.
     */
    record ForkFrame(String at, List<Integer> branches, ArrayNode outputs, List<JsonNode> failures)
            implements Frame {
    }
}
