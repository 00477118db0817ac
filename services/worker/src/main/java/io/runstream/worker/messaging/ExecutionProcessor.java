package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.schemas.internal.RunReported;
import io.runstream.worker.domain.Decision;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionStateMachine;
import io.runstream.worker.domain.StatusChange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Single writer of each execution's state: feeds commands and run reports to the state machine and forwards its output. */
final class ExecutionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private final ExecutionStateMachine machine = new ExecutionStateMachine();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ExecutionState> store;

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(ExecutionTopology.STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Execution current = AvroMapper.toDomain(store.get(record.key()));
        Decision decision = decide(record, current);
        if (decision.changesState()) {
            store.put(record.key(), AvroMapper.toState(decision.next()));
        }
        for (StatusChange change : decision.changes()) {
            context.forward(record.withValue((SpecificRecord) AvroMapper.toEvent(change))
                    .withTimestamp(change.occurredAt().toEpochMilli()));
        }
        if (decision.dispatch() != null) {
            context.forward(record.withValue(AvroMapper.toAvro(decision.dispatch())));
        }
    }

    private Decision decide(Record<String, SpecificRecord> record, Execution current) {
        if (record.value() instanceof ExecutionRequested requested) {
            requireKeyedBy(record, requested.getExecutionId());
            return machine.onRequested(current, AvroMapper.toDomain(requested));
        }
        if (record.value() instanceof RunReported reported) {
            requireKeyedBy(record, reported.getExecutionId());
            return machine.onReport(current, AvroMapper.toDomain(reported));
        }
        throw new IllegalArgumentException("Unexpected record type " + record.value().getClass().getName());
    }

    /** Everything about one execution must stay on one partition, so a record keyed otherwise is rejected. */
    private static void requireKeyedBy(Record<String, SpecificRecord> record, String executionId) {
        if (!executionId.equals(record.key())) {
            throw new IllegalArgumentException("Record for execution " + executionId + " has key " + record.key()
                    + "; records must be keyed by executionId");
        }
    }
}
