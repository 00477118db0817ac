package io.runstream.worker.messaging;

import io.runstream.worker.runner.ActivityRecords;
import io.runstream.api.tracing.RecordTraces;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.internal.ActivityCancelled;
import io.runstream.schemas.internal.EventEmitted;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.ScheduleRecord;
import io.runstream.schemas.internal.ScheduleRecordKind;
import io.runstream.worker.settings.WorkerProperties;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.worker.domain.Decision;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.StatusChange;
import io.runstream.engine.Activity;
import io.runstream.engine.Child;
import io.runstream.engine.ChildStart;
import io.runstream.worker.domain.ChildEnd;
import io.runstream.engine.Subscription;
import io.runstream.schemas.internal.CorrelationKind;
import io.runstream.schemas.internal.CorrelationRecord;
import io.runstream.worker.domain.EventDelivery;
import io.runstream.engine.Effects;
import io.runstream.engine.TaskStep;
import io.runstream.engine.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Carries out a decision inside the processor's transaction: stores the state of a live execution (and moves a
 * finished one out to the finished executions, and one that failed with a redrive point to the redrivable ones),
 * keeps the timer index in step with the progress, and forwards status events, task steps, emitted events, activity
 * dispatches, subflows to start and stop, a subflow's end to its parent, and a continuation when the run yielded.
 * What it writes is decided: the domain has already bounded the state's size (PROGRESS_TOO_LARGE), so the
 * transaction cannot abort on it again and again.
 */
final class Effector {

    private final ProcessorContext<String, SpecificRecord> context;
    private final KeyValueStore<String, ExecutionState> store;
    private final TimerIndex timers;
    private final FinishedExecutions finished;
    private final RedrivableExecutions redrivable;
    private final DecidedCommands decided;
    private final ExecutionMetrics metrics;
    private final long maxProgressBytes;
    private final boolean taskHistory;
    private final String eventsTopic;
    /** Whether an execution's end is reported to its workflow's scheduler (an {@code after} schedule). */
    private final java.util.function.Predicate<Execution> endIsAwaited;
    /** What a decision that ends a subflow tells its parent. */
    private final java.util.function.Function<Decision, java.util.Optional<ChildEnd>> childEnd;

    Effector(ProcessorContext<String, SpecificRecord> context, KeyValueStore<String, ExecutionState> store,
            TimerIndex timers, FinishedExecutions finished, RedrivableExecutions redrivable,
            DecidedCommands decided, WorkerProperties properties,
            ExecutionMetrics metrics, java.util.function.Predicate<Execution> endIsAwaited,
            java.util.function.Function<Decision, java.util.Optional<ChildEnd>> childEnd) {
        this.endIsAwaited = endIsAwaited;
        this.childEnd = childEnd;
        this.context = context;
        this.store = store;
        this.timers = timers;
        this.finished = finished;
        this.redrivable = redrivable;
        this.decided = decided;
        this.metrics = metrics;
        this.maxProgressBytes = properties.limits().maxProgressSize().toBytes();
        this.taskHistory = properties.taskHistory();
        this.eventsTopic = properties.topics().events();
    }

    /**
     * Carries out a decision. Everything that could fail because of what the execution holds (mapping, encoding, the
     * size check) happens in {@link #prepare} before anything is written, so a failure there can still end the
     * execution cleanly instead.
     *
     * @param stored whether the execution store holds the execution now
     * @param traceparent the execution's trace, kept in its state and carried by every record it writes; or null
     */
    void apply(String key, boolean stored, Decision decision, Instant now, String traceparent) {
        Headers headers = traceHeaders(traceparent);
        if (decision.changesState()) {
            execute(key, stored, prepare(key, decision, now, traceparent, headers), headers);
        }
        if (decision.outcome() != null) {
            ExecutionCommandDecided outcome = AvroMapper.toAvro(decision.outcome());
            decided.remember(outcome, now.toEpochMilli());
            context.forward(new Record<>(key, outcome, now.toEpochMilli(), headers));
        }
    }

    /** The headers of a record in the trace, or none. */
    static Headers traceHeaders(String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add(RecordTraces.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private Plan prepare(String key, Decision decision, Instant now, String traceparent, Headers trace) {
        Plan plan = new Plan();
        ExecutionState state = AvroMapper.toState(decision.next());
        state.setTraceparent(traceparent);
        Execution next = decision.next();
        plan.next = next;
        plan.state = next.status().isTerminal() ? null : state;
        // the domain bounds a live execution's state; a redrive point too large for the changelog is not kept (the
        // execution stays failed, not redrivable)
        plan.redrivable = next.isRedrivable() && StateEncoding.bytes(state) <= maxProgressBytes;
        if (decision.effects() != null) {
            effects(plan, key, decision, now, trace);
        }
        plan.remove.addAll(decision.dropped());
        stops(plan, next, decision.orphans(), now);
        if (decision.release() != null && next.isLive()) {
            release(plan, key, decision.release(), now);
        }
        // a subflow that ended tells the execution that started it
        childEnd.apply(decision).ifPresent(end -> plan.records.add(new Record<>(end.executionId(),
                AvroMapper.toAvro(end, now), now.toEpochMilli())));
        plan.events(key, decision.changes());
        plan.finishedAt = now.toEpochMilli();
        return plan;
    }

    /** What the turn's effects write: timers, task steps, emitted events, dispatches, cancels, a continuation. */
    private void effects(Plan plan, String key, Decision decision, Instant now, Headers trace) {
        Effects effects = decision.effects();
        Execution next = plan.next;
        plan.remove.addAll(effects.cancelled());
        if (next.isLive()) {
            plan.add.addAll(effects.scheduled());
        }
        plan.steps.addAll(effects.steps());
        if (taskHistory) {
            for (TaskStep step : effects.steps()) {
                plan.records.add(new Record<>(key, AvroMapper.toAvro(next, step, decision.ordinal(step)),
                        step.endedAt().toEpochMilli()));
            }
        }
        for (var event : effects.emitted()) {
            plan.emitted.add(EmittedRecords.toRecord(eventsTopic, next.tenant(), event, now, trace));
        }
        for (Activity activity : effects.dispatched()) {
            plan.records.add(new Record<>(key, AvroMapper.toAvro(next, activity, deadline(next, activity, now)),
                    now.toEpochMilli()));
        }
        // a call the execution no longer waits on (a stop, a timeout, a lost compete) is stopped where it runs
        for (Activity activity : effects.abandoned()) {
            plan.records.add(new Record<>(key, new ActivityCancelled(key, activity.seq(), now), now.toEpochMilli()));
        }
        for (Subscription listen : effects.subscribed()) {
            for (int filter = 0; filter < listen.interests().size(); filter++) {
                plan.records.add(listenRecord(CorrelationKind.OPEN, CorrelationKeys.indexKey(next.tenant(), key,
                        listen, filter), listen.openedAt()));
            }
        }
        for (Subscription listen : effects.unsubscribed()) {
            for (int filter = 0; filter < listen.interests().size(); filter++) {
                plan.records.add(listenRecord(CorrelationKind.CLOSE, CorrelationKeys.indexKey(next.tenant(), key,
                        listen, filter), now));
            }
        }
        subflows(plan, next, effects, now);
        if (effects.yielded() && next.isLive()) {
            plan.records.add(new Record<>(key, new ExecutionContinued(key, next.progress().transitions()),
                    now.toEpochMilli()));
        }
    }

    /**
     * Subflows the turn started and those it stopped waiting on, each to the scheduler of the tenant (keyed by it),
     * which counts starts against the tenant's quota and starts and stops them in its own transaction, in the order
     * they were asked.
     */
    private static void subflows(Plan plan, Execution next, Effects effects, Instant now) {
        for (ChildStart start : effects.started()) {
            plan.records.add(new Record<>(next.tenant(), new ScheduleRecord(ScheduleRecordKind.START, next.tenant(),
                    start.workflowId(), start.executionId(), now, null, 0, AvroMapper.toRequest(next, start, now),
                    null), now.toEpochMilli()));
        }
        stops(plan, next, effects.abandonedChildren(), now);
    }

    /** Subflows the execution no longer waits on, each stopped with a reason that names it. */
    private static void stops(Plan plan, Execution next, List<Child> children, Instant now) {
        for (Child child : children) {
            String reason = next.status().isTerminal() ? "Its parent execution " + next.executionId() + " ended "
                    + next.status() : "Its parent execution " + next.executionId() + " no longer waits on it (the "
                    + "task timed out, or another branch won its race)";
            plan.records.add(new Record<>(next.tenant(), new ScheduleRecord(ScheduleRecordKind.STOP, next.tenant(),
                    "", child.executionId(), now, null, 0, null, reason), now.toEpochMilli()));
        }
    }

    /** The index drops a listen the execution no longer has, which an event was routed to. */
    void closeStaleListen(String indexKey, Instant now) {
        Record<String, SpecificRecord> record = listenRecord(CorrelationKind.CLOSE, indexKey, now);
        context.forward(record);
    }

    /** A listen opening or closing, keyed by its route, for the correlation index. */
    private static Record<String, SpecificRecord> listenRecord(CorrelationKind kind, String indexKey, Instant at) {
        return new Record<>(CorrelationKeys.routeOf(indexKey), new CorrelationRecord(kind,
                CorrelationKeys.tenantOf(indexKey), null, at, indexKey), at.toEpochMilli());
    }

    /**
     * What a resume releases: the timers, results, continuation and events held back while the execution was
     * paused.
     */
    private static void release(Plan plan, String key, Decision.Release release, Instant now) {
        plan.add.addAll(release.timers());
        for (EventDelivery event : release.events()) {
            plan.records.add(new Record<>(key, AvroMapper.toAvro(event), now.toEpochMilli()));
        }
        for (ActivityResult result : release.results()) {
            plan.records.add(new Record<>(key, ActivityRecords.toAvro(result, now), now.toEpochMilli()));
        }
        if (release.continuation() != null) {
            plan.records.add(new Record<>(key, new ExecutionContinued(key, release.continuation()),
                    now.toEpochMilli()));
        }
        for (ChildEnd end : release.children()) {
            plan.records.add(new Record<>(key, AvroMapper.toAvro(end, now), now.toEpochMilli()));
        }
    }

    private void execute(String key, boolean stored, Plan plan, Headers headers) {
        if (!stored && plan.next.redriveCount() > 0) {
            // redriven just now: the failure it was kept for is over
            redrivable.forget(key, plan.finishedAt);
        }
        if (plan.state == null) {
            if (stored) {
                store.delete(key);
            }
            finished.add(plan.next, plan.finishedAt);
            metrics.finished(plan.next, Instant.ofEpochMilli(plan.finishedAt));
            if (plan.redrivable) {
                redrivable.keep(plan.next, plan.finishedAt);
            }
            if (endIsAwaited.test(plan.next)) {
                Execution ended = plan.next;
                context.forward(new Record<>(ended.tenant(), new ScheduleRecord(
                        ScheduleRecordKind.RUN_ENDED, ended.tenant(), ended.workflowId(), key,
                        Instant.ofEpochMilli(plan.finishedAt), null, 0, null, null), plan.finishedAt));
            }
        } else {
            store.put(key, plan.state);
        }
        plan.remove.forEach(t -> timers.remove(key, t));
        plan.add.forEach(t -> timers.add(key, t));
        plan.records.forEach(record -> context.forward(record.withHeaders(headers)));
        plan.emitted.forEach(context::forward);
        plan.steps.forEach(metrics::step);
    }

    /** What a decision writes: the state (null once finished), timer index changes, and records to forward. */
    private static final class Plan {
        Execution next;
        ExecutionState state;
        boolean redrivable;
        long finishedAt;
        final List<Timer> remove = new ArrayList<>();
        final List<Timer> add = new ArrayList<>();
        final List<Record<String, SpecificRecord>> records = new ArrayList<>();
        /** Events emit tasks wrote, each with its own headers (the CloudEvent's attributes, and the trace). */
        final List<Record<String, EventEmitted>> emitted = new ArrayList<>();
        final List<TaskStep> steps = new ArrayList<>();

        void events(String key, List<StatusChange> changes) {
            for (StatusChange change : changes) {
                records.add(new Record<>(key, AvroMapper.toEvent(change), change.occurredAt().toEpochMilli()));
            }
        }
    }

    /** The dispatch is worth running until its lease ends; after that it is dispatched again anyway. */
    private static Instant deadline(Execution execution, Activity activity, Instant now) {
        Timer lease = execution.progress() == null ? null : execution.progress().timers().get(activity.leaseTimer());
        return lease == null ? now : lease.due();
    }
}
