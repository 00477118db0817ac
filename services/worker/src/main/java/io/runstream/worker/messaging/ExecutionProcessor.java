package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.RunReported;
import io.runstream.worker.config.WorkerProperties;
import io.runstream.worker.domain.Decision;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.ExecutionRequest;
import io.runstream.worker.domain.ExecutionStateMachine;
import io.runstream.worker.domain.StatusChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Single writer of each execution's state: feeds start and stop commands and run reports to the state machine and
 * forwards its output. Every live execution holds a lease, renewed by its runner's heartbeats; a punctuator hands
 * expired leases back to the state machine, so a crashed runner or a lost dispatch leads to a new attempt instead of
 * an execution stuck forever.
 */
final class ExecutionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private final ExecutionStateMachine machine;
    private final WorkerProperties.Runs runs;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ExecutionState> store;
    private KeyValueStore<String, Long> leases;
    private KeyValueStore<String, WorkflowDefinition> workflows;

    ExecutionProcessor(WorkerProperties.Runs runs) {
        this.runs = runs;
        this.machine = new ExecutionStateMachine(runs.maxAttempts());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(ExecutionTopology.STORE);
        this.leases = context.getStateStore(ExecutionTopology.LEASES);
        this.workflows = context.getStateStore(ExecutionTopology.WORKFLOWS);
        context.schedule(runs.leaseCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireLeases);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Execution current = AvroMapper.toDomain(store.get(record.key()));
        apply(record.key(), decide(record, current), record.timestamp());
    }

    private void expireLeases(long now) {
        List<String> expired = new ArrayList<>();
        try (var all = leases.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> lease = all.next();
                if (lease.value <= now) {
                    expired.add(lease.key);
                }
            }
        }
        for (String key : expired) {
            Decision decision = machine.onLeaseExpired(AvroMapper.toDomain(store.get(key)), Instant.ofEpochMilli(now));
            if (!decision.changesState()) {
                leases.delete(key);
            }
            apply(key, decision, now);
        }
    }

    private void apply(String key, Decision decision, long timestamp) {
        if (decision.changesState()) {
            store.put(key, AvroMapper.toState(decision.next()));
            if (decision.next().status().isTerminal()) {
                leases.delete(key);
            }
        }
        if (decision.renewsLease()) {
            leases.put(key, context.currentSystemTimeMs() + runs.lease().toMillis());
        }
        for (StatusChange change : decision.changes()) {
            context.forward(new Record<>(key, (SpecificRecord) AvroMapper.toEvent(change),
                    change.occurredAt().toEpochMilli()));
        }
        if (decision.dispatch() != null) {
            context.forward(new Record<>(key, (SpecificRecord) AvroMapper.toAvro(decision.dispatch()), timestamp));
        }
    }

    private Decision decide(Record<String, SpecificRecord> record, Execution current) {
        if (record.value() instanceof ExecutionRequested requested) {
            requireKeyedBy(record, requested.getExecutionId());
            return onRequested(current, AvroMapper.toDomain(requested));
        }
        if (record.value() instanceof RunReported reported) {
            requireKeyedBy(record, reported.getExecutionId());
            return machine.onReport(current, AvroMapper.toDomain(reported));
        }
        if (record.value() instanceof ExecutionStopRequested stop) {
            requireKeyedBy(record, stop.getExecutionId());
            return machine.onStopRequested(current, AvroMapper.toDomain(stop));
        }
        throw new IllegalArgumentException("Unexpected record type " + record.value().getClass().getName());
    }

    /** A request without a definition runs the current version of its workflow from the catalog, if it may. */
    private Decision onRequested(Execution current, ExecutionRequest request) {
        if (request.definition() != null || current != null) {
            return machine.onRequested(current, request);
        }
        WorkflowDefinition workflow = workflows.get(request.tenant() + "/" + request.workflowId());
        if (workflow == null) {
            return machine.onRejected(null, request, new ExecutionError("WORKFLOW_NOT_FOUND", "Workflow '"
                    + request.workflowId() + "' is not defined for tenant '" + request.tenant() + "'"));
        }
        if (!workflow.getActive()) {
            return machine.onRejected(null, request, new ExecutionError("WORKFLOW_INACTIVE", "Workflow '"
                    + request.workflowId() + "' is deactivated; activate it to start executions"));
        }
        return machine.onRequested(null, request.withDefinition(workflow.getVersion(), workflow.getDefinition()));
    }

    /** Everything about one execution must stay on one partition, so a record keyed otherwise is rejected. */
    private static void requireKeyedBy(Record<String, SpecificRecord> record, String executionId) {
        if (!executionId.equals(record.key())) {
            throw new IllegalArgumentException("Record for execution " + executionId + " has key " + record.key()
                    + "; records must be keyed by executionId");
        }
    }
}
