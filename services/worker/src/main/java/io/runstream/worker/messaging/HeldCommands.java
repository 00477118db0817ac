package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.internal.StartsBarrier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Commands for executions the worker has not seen yet, held until their start arrives or until a barrier shows that
 * no start sent before them is still to be read.
 *
 * <p>Starts come on the commands topic, commands on the control topic; Kafka keeps order within a partition only, so
 * a stop sent after its start was accepted can be read first (after a broker restart the control partition may be
 * read long before the commands partition's leader is back). The barrier is a record with no value, written to the
 * commands topic under the execution's key, so to the partition of its start: a start accepted before the command
 * was sent is ahead of it in that partition, and has been read by the time the barrier is. Barriers are sent on the
 * next punctuation rather than at once, and a held command is stored with the control offset it was read at, so a
 * barrier releases only the commands held before it was sent.
 */
final class HeldCommands {

    /** The header that marks a barrier on the commands topic; its value is the highest control offset it covers. */
    static final String BARRIER = "runstream-starts-barrier";

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, ExecutionCommandRequested> store;
    /** Executions with commands held and no barrier sent yet, with the highest offset held. */
    private final Map<String, Long> unsent = new LinkedHashMap<>();
    /** How many commands the store holds, so that a start with none held (nearly every one) reads nothing. */
    private long count;

    HeldCommands(KeyValueStore<String, ExecutionCommandRequested> store) {
        this.store = store;
        // after a restart or a move, barriers for what is held may not have been sent: send them again (a barrier
        // that finds nothing held does nothing)
        try (KeyValueIterator<String, ExecutionCommandRequested> all = store.all()) {
            all.forEachRemaining(entry -> {
                unsent.merge(executionId(entry.key), offset(entry.key), Math::max);
                count++;
            });
        }
    }

    void hold(ExecutionCommandRequested command, long offset) {
        store.put(key(command.getExecutionId(), offset), command);
        count++;
        unsent.merge(command.getExecutionId(), offset, Math::max);
    }

    /** The commands held for an execution, in the order they were read, up to and including {@code upToOffset}. */
    List<ExecutionCommandRequested> release(String executionId, long upToOffset) {
        if (count == 0) {
            return List.of();
        }
        List<ExecutionCommandRequested> released = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ExecutionCommandRequested> held = store.prefixScan(prefix(executionId),
                KEYS)) {
            held.forEachRemaining(entry -> {
                if (offset(entry.key) <= upToOffset) {
                    released.add(entry.value);
                    keys.add(entry.key);
                }
            });
        }
        keys.forEach(store::delete);
        count -= keys.size();
        if (upToOffset == Long.MAX_VALUE) {
            unsent.remove(executionId);
        }
        return released;
    }

    /** Whether a barrier is still to be sent. */
    boolean barriersDue() {
        return !unsent.isEmpty();
    }

    /** The barriers to send now, one per execution with commands held since the last were sent. */
    List<StartsBarrier> takeBarriers() {
        List<StartsBarrier> barriers = new ArrayList<>(unsent.size());
        unsent.forEach((executionId, offset) -> barriers.add(new StartsBarrier(executionId, offset)));
        unsent.clear();
        return barriers;
    }

    /** The headers a barrier leaves with: on the commands topic it is these and no value. */
    static Headers headers(StartsBarrier barrier) {
        return new RecordHeaders().add(BARRIER, Long.toString(barrier.getOffset()).getBytes(StandardCharsets.UTF_8));
    }

    /** The highest control offset a barrier covers, or -1 if the headers are not a barrier's. */
    static long barrierOffset(Headers headers) {
        Header header = headers.lastHeader(BARRIER);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sorted by execution, then by offset (zero-padded), so a prefix scan reads one execution's in order. */
    private static String key(String executionId, long offset) {
        return prefix(executionId) + String.format("%019d", offset);
    }

    private static String prefix(String executionId) {
        return executionId + '\u0000';
    }

    private static String executionId(String key) {
        return key.substring(0, key.lastIndexOf('\u0000'));
    }

    private static long offset(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('\u0000') + 1));
    }
}
