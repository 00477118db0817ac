package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far an execution has got: the frontier of its run and nothing behind it. Its fibers' stacks, its
 * {@code $context}, the timers and activities it waits on, and counters that keep sequence numbers unique. Only the
 * {@link Applier} changes it, applying the {@link ProgressEvent}s of a turn, and only the worker's processor keeps
 * it, in its state store.
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
    final TreeMap<Long, Subscription> subscriptions = new TreeMap<>();
    /** The subflows it waits on, by number. */
    final TreeMap<Long, Child> children = new TreeMap<>();
    /** Events sent to this execution alone that no listen took yet, oldest first. */
    final java.util.List<Held> held = new java.util.ArrayList<>();
    /**
     * Events its listens consumed ({@code source} and {@code id}) within the event buffer time, to when: a listen
     * that opens later is not given them again from the buffer.
     */
    final java.util.LinkedHashMap<String, Instant> consumed = new java.util.LinkedHashMap<>();
    int nextFiber = MAIN;
    /** The last number given to a timer or an activity. */
    long seq;
    /** The last number given to a task step (task history). */
    long steps;
    /** Signals handled over the execution's life, bounded by {@link Limits#maxSteps()}. */
    long transitions;
    long workflowTimeout;
    /**
     * How many events emitted one after another led to this run: the most of the events that started it and that
     * it consumed ({@link Subscription#HOPS}); an event it emits is one more.
     */
    int hops;
    /**
     * The execution's id, {@code $workflow.id}: given by the one who keeps the progress when it loads it, and not
     * stored in it (the execution's state holds it).
     */
    String executionId;
    /**
     * Whose run it is, given with its id and not stored in it either: the tenant (a subflow is looked up in its
     * catalog), the redrive count (a child's id takes it) and how deep in subflows the execution is (0: started by
     * no other).
     */
    String tenant;
    int redriveCount;
    int depth;

    /** A new, empty progress, for a run about to start. */
    public Progress() {
    }

    /** A new, empty progress, for a run that events {@code hops} long started. */
    public Progress(int hops) {
        this.hops = hops;
    }

    /** An event sent to this execution alone, held since {@code at} for a {@code listen} that opens later. */
    public record Held(JsonNode event, Instant at) {
    }

    /** Progress as it was stored. */
    public static Progress restore(JsonNode input, JsonNode context, Instant startedAt, int nextFiber, long seq,
            long steps, long transitions, long workflowTimeout, Iterable<Fiber> fibers, Iterable<Timer> timers,
            Iterable<Activity> activities) {
        Progress p = new Progress();
        p.input = input;
        p.context = context;
        p.startedAt = startedAt;
        p.nextFiber = nextFiber;
        p.seq = seq;
        p.steps = steps;
        p.transitions = transitions;
        p.workflowTimeout = workflowTimeout;
        fibers.forEach(f -> p.fibers.put(f.id, f));
        timers.forEach(t -> p.timers.put(t.seq(), t));
        activities.forEach(a -> p.activities.put(a.seq(), a));
        return p;
    }

    /** Progress as it was stored, with its open listens and held events. */
    public static Progress restore(JsonNode input, JsonNode context, Instant startedAt, int nextFiber, long seq,
            long steps, long transitions, long workflowTimeout, Iterable<Fiber> fibers, Iterable<Timer> timers,
            Iterable<Activity> activities, Iterable<Subscription> subscriptions, Iterable<Held> held,
            Map<String, Instant> consumed) {
        Progress p = restore(input, context, startedAt, nextFiber, seq, steps, transitions, workflowTimeout, fibers,
                timers, activities);
        subscriptions.forEach(s -> p.subscriptions.put(s.seq(), s));
        held.forEach(p.held::add);
        p.consumed.putAll(consumed);
        return p;
    }

    /** Progress as it was stored, with its open listens, held events and how many events led to it. */
    public static Progress restore(JsonNode input, JsonNode context, Instant startedAt, int nextFiber, long seq,
            long steps, long transitions, long workflowTimeout, Iterable<Fiber> fibers, Iterable<Timer> timers,
            Iterable<Activity> activities, Iterable<Subscription> subscriptions, Iterable<Held> held,
            Map<String, Instant> consumed, int hops) {
        Progress p = restore(input, context, startedAt, nextFiber, seq, steps, transitions, workflowTimeout, fibers,
                timers, activities, subscriptions, held, consumed);
        p.hops = hops;
        return p;
    }

    /** Progress as it was stored, with the subflows it waits on. */
    public static Progress restore(JsonNode input, JsonNode context, Instant startedAt, int nextFiber, long seq,
            long steps, long transitions, long workflowTimeout, Iterable<Fiber> fibers, Iterable<Timer> timers,
            Iterable<Activity> activities, Iterable<Subscription> subscriptions, Iterable<Held> held,
            Map<String, Instant> consumed, int hops, Iterable<Child> children) {
        Progress p = restore(input, context, startedAt, nextFiber, seq, steps, transitions, workflowTimeout, fibers,
                timers, activities, subscriptions, held, consumed, hops);
        children.forEach(c -> p.children.put(c.seq(), c));
        return p;
    }

    /**
     * A copy to keep aside: frames, timers and activities are values, so the fibers' stacks and the maps are copied
     * and what they hold is shared.
     */
    Progress copy() {
        Progress p = new Progress();
        p.input = input;
        p.context = context;
        p.startedAt = startedAt;
        p.nextFiber = nextFiber;
        p.seq = seq;
        p.steps = steps;
        p.transitions = transitions;
        p.workflowTimeout = workflowTimeout;
        p.executionId = executionId;
        p.tenant = tenant;
        p.redriveCount = redriveCount;
        p.depth = depth;
        p.hops = hops;
        fibers.values().forEach(f -> p.fibers.put(f.id, new Fiber(f.id, f.parent, f.branch, f.inherited, f.stack,
                f.next)));
        p.timers.putAll(timers);
        p.activities.putAll(activities);
        p.subscriptions.putAll(subscriptions);
        p.children.putAll(children);
        p.held.addAll(held);
        p.consumed.putAll(consumed);
        return p;
    }

    /** Names the execution this progress is of, for {@code $workflow.id}; returns it. */
    public Progress forExecution(String executionId) {
        this.executionId = executionId;
        return this;
    }

    /**
     * Names whose run this is: its tenant, how many times it was redriven, and how deep in subflows it is; returns
     * it.
     */
    public Progress ownedBy(String tenant, int redriveCount, int depth) {
        this.tenant = tenant;
        this.redriveCount = redriveCount;
        this.depth = depth;
        return this;
    }

    /** How deep in subflows its execution is: 0 for one no other started. */
    public int depth() {
        return depth;
    }

    /** How many events emitted one after another led to this run. */
    public int hops() {
        return hops;
    }

    public JsonNode input() {
        return input;
    }

    public JsonNode context() {
        return context;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public int nextFiber() {
        return nextFiber;
    }

    public long seq() {
        return seq;
    }

    public long steps() {
        return steps;
    }

    public long transitions() {
        return transitions;
    }

    public long workflowTimeout() {
        return workflowTimeout;
    }

    public java.util.Collection<Fiber> fibers() {
        return java.util.Collections.unmodifiableCollection(fibers.values());
    }

    /** The task and workflow timeouts it runs under. */
    public java.util.List<Timer> timeouts() {
        return timers.values().stream().filter(t -> t.kind() == Timer.Kind.TASK_TIMEOUT
                || t.kind() == Timer.Kind.WORKFLOW_TIMEOUT).toList();
    }

    /**
     * Moves its task and workflow timeouts on by {@code by}, so time spent paused does not count against them;
     * returns them as they are now.
     */
    public java.util.List<Timer> shiftTimeouts(java.time.Duration by) {
        java.util.List<Timer> shifted = new java.util.ArrayList<>();
        for (Timer t : timeouts()) {
            Timer moved = new Timer(t.seq(), t.due().plus(by), t.kind(), t.fiber());
            Applier.apply(this, new ProgressEvent.TimerScheduled(moved));
            shifted.add(moved);
        }
        return shifted;
    }

    /** The timers it waits on, by number. */
    public Map<Long, Timer> timers() {
        return java.util.Collections.unmodifiableMap(timers);
    }

    /** The activities it waits on, by number. */
    public Map<Long, Activity> activities() {
        return java.util.Collections.unmodifiableMap(activities);
    }

    /** Its open listens, by number. */
    public Map<Long, Subscription> subscriptions() {
        return java.util.Collections.unmodifiableMap(subscriptions);
    }

    /** The subflows it waits on, by number. */
    public Map<Long, Child> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Events sent to it alone that wait for a listen, oldest first. */
    public java.util.List<Held> held() {
        return java.util.Collections.unmodifiableList(held);
    }

    /** Events its listens consumed lately, by {@code source} and {@code id}, to when. */
    public Map<String, Instant> consumed() {
        return java.util.Collections.unmodifiableMap(consumed);
    }

    /** True when no fiber can move until a timer fires, an activity reports, an event comes or a subflow ends. */
    public boolean isParked() {
        return fibers.values().stream().allMatch(f -> f.next == null);
    }
}
