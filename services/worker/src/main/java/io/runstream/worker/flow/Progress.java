package io.runstream.worker.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far an execution has got: the frontier of its run and nothing behind it. Its fibers' stacks, its
 * {@code $context}, the timers and activities it waits on, and counters that keep sequence numbers unique. Only the
 * {@link Machine} changes it, and only the worker's processor keeps it, in its state store.
 */
public final class Progress {

    static final int MAIN = 1;

    /** The workflow input after {@code input.from}: the {@code $input} of the workflow's {@code output.as}. */
    JsonNode input;
    JsonNode context = JsonNodeFactory.instance.objectNode();
    Instant startedAt;
    final TreeMap<Integer, Fiber> fibers = new TreeMap<>();
    final TreeMap<Long, Timer> timers = new TreeMap<>();
    final TreeMap<Long, Activity> activities = new TreeMap<>();
    int nextFiber = MAIN;
    /** The last number given to a timer or an activity. */
    long seq;
    /** The last number given to a task step (task history). */
    long steps;
    /** Signals handled over the execution's life, bounded by {@link Limits#maxSteps()}. */
    long transitions;
    long workflowTimeout;

    /** The timers it waits on, by number. */
    public Map<Long, Timer> timers() {
        return java.util.Collections.unmodifiableMap(timers);
    }

    /** The activities it waits on, by number. */
    public Map<Long, Activity> activities() {
        return java.util.Collections.unmodifiableMap(activities);
    }

    /** True when no fiber can move until a timer fires or an activity reports. */
    public boolean isParked() {
        return fibers.values().stream().allMatch(f -> f.next == null);
    }

    long nextSeq() {
        return ++seq;
    }
}
