package io.runstream.worker.messaging;

import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.ExecutionSignalled;
import io.runstream.schemas.internal.EventDelivered;
import io.runstream.worker.domain.EventDelivery;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.worker.domain.WorkerInput;
import org.apache.avro.specific.SpecificRecord;

/** Maps each record the processor reads, once, to the worker input it stands for. */
final class InputMapper {

    private InputMapper() {
    }

    /** The input of a record keyed by its execution id; a record keyed otherwise is rejected. */
    static WorkerInput toInput(String key, SpecificRecord value) {
        requireKeyedBy(key, value);
        if (value instanceof ExecutionRequested requested) {
            return new WorkerInput.Start(AvroMapper.toDomain(requested));
        }
        if (value instanceof ExecutionCommandRequested command) {
            return new WorkerInput.Command(AvroMapper.toDomain(command));
        }
        if (value instanceof ExecutionStopRequested stop) {
            return new WorkerInput.Stop(AvroMapper.toDomain(stop));
        }
        if (value instanceof ActivityReported reported) {
            return new WorkerInput.Report(AvroMapper.toDomain(reported));
        }
        if (value instanceof ExecutionContinued continued) {
            return new WorkerInput.Continuation(continued.getExecutionId(), continued.getTransitions());
        }
        if (value instanceof ExecutionSignalled signalled) {
            return new WorkerInput.Event(new EventDelivery(signalled.getExecutionId(), signalled.getTenant(), 0, null,
                    ProgressMapper.read(signalled.getEventJson()), signalled.getRequestedAt(), false, false,
                    false));
        }
        if (value instanceof EventDelivered delivered) {
            return new WorkerInput.Event(AvroMapper.toDomain(delivered));
        }
        if (value instanceof io.runstream.schemas.internal.SubflowEnded ended) {
            return new WorkerInput.ChildEnded(AvroMapper.toDomain(ended));
        }
        throw new IllegalArgumentException("Unexpected record type " + value.getClass().getName());
    }

    /** Everything about one execution must stay on one partition, so a record keyed otherwise is rejected. */
    private static void requireKeyedBy(String key, SpecificRecord value) {
        String executionId = String.valueOf(value.get(value.getSchema().getField("executionId").pos()));
        if (!executionId.equals(key)) {
            throw new IllegalArgumentException("Record for execution " + executionId + " has key " + key
                    + "; records must be keyed by executionId");
        }
    }
}
