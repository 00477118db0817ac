package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.Decision;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.ExecutionStateMachine;
import io.runstream.worker.domain.StatusChange;
import io.runstream.worker.flow.Activity;
import io.runstream.worker.flow.Effects;
import io.runstream.worker.flow.TaskStep;
import io.runstream.worker.flow.Timer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Carries out a decision inside the processor's transaction: stores the state of a live execution (and moves a
 * finished one out to the finished executions), keeps the timer index in step with the progress, and forwards status events, task steps, activity dispatches and a continuation when the run
 * yielded. Progress that would not fit the store's changelog is never written: the execution fails with
 * PROGRESS_TOO_LARGE instead, so the transaction cannot abort on it again and again.
 */
final class Effector {

    private final ProcessorContext<String, SpecificRecord> context;
    private final KeyValueStore<String, ExecutionState> store;
    private final TimerIndex timers;
    private final FinishedExecutions finished;
    private final ExecutionStateMachine machine;
    private final long maxProgressBytes;
    private final boolean taskHistory;

    Effector(ProcessorContext<String, SpecificRecord> context, KeyValueStore<String, ExecutionState> store,
            TimerIndex timers, FinishedExecutions finished, ExecutionStateMachine machine,
            WorkerProperties properties) {
        this.context = context;
        this.store = store;
        this.timers = timers;
        this.finished = finished;
        this.machine = machine;
        this.maxProgressBytes = properties.limits().maxProgressSize().toBytes();
        this.taskHistory = properties.taskHistory();
    }

    /** @param stored whether the execution store holds the execution now */
    void apply(String key, boolean stored, Decision decision, Instant now) {
        if (!decision.changesState()) {
            return;
        }
        ExecutionState state = AvroMapper.toState(decision.next());
        if (state.getProgress() != null) {
            long size = ProgressMapper.size(state.getProgress());
            if (size > maxProgressBytes) {
                forward(key, decision.changes());
                if (decision.effects() != null) {
                    decision.effects().cancelled().forEach(t -> timers.remove(key, t));
                }
                decision = machine.onFault(decision.next(), new ExecutionError("PROGRESS_TOO_LARGE", "The "
                        + "execution's progress grew to about " + size + " bytes; at most " + maxProgressBytes
                        + " are kept (runstream.worker.limits.max-progress-size). Keep less data: shape task "
                        + "outputs with output.as"), now);
                state = AvroMapper.toState(decision.next());
            }
        }
        Execution next = decision.next();
        if (next.status().isTerminal()) {
            if (stored) {
                store.delete(key);
            }
            finished.add(next, now.toEpochMilli());
        } else {
            store.put(key, state);
        }
        Effects effects = decision.effects();
        if (effects != null) {
            effects.cancelled().forEach(t -> timers.remove(key, t));
            if (next.isLive()) {
                effects.scheduled().forEach(t -> timers.add(key, t));
            }
            if (taskHistory) {
                for (TaskStep step : effects.steps()) {
                    context.forward(new Record<>(key, AvroMapper.toAvro(next, step), step.endedAt().toEpochMilli()));
                }
            }
            for (Activity activity : effects.dispatched()) {
                context.forward(new Record<>(key, AvroMapper.toAvro(next, activity, deadline(next, activity, now)),
                        now.toEpochMilli()));
            }
            if (effects.yielded() && next.isLive()) {
                context.forward(new Record<>(key, new ExecutionContinued(key, next.progress().transitions()),
                        now.toEpochMilli()));
            }
        }
        decision.dropped().forEach(t -> timers.remove(key, t));
        forward(key, decision.changes());
    }

    private void forward(String key, List<StatusChange> changes) {
        for (StatusChange change : changes) {
            context.forward(new Record<>(key, AvroMapper.toEvent(change), change.occurredAt().toEpochMilli()));
        }
    }

    /** The dispatch is worth running until its lease ends; after that it is dispatched again anyway. */
    private static Instant deadline(Execution execution, Activity activity, Instant now) {
        Timer lease = execution.progress() == null ? null : execution.progress().timers().get(activity.leaseTimer());
        return lease == null ? now : lease.due();
    }

}
