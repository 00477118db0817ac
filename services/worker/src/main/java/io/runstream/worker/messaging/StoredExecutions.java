package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.domain.ExecutionStore;
import org.apache.kafka.streams.state.KeyValueStore;

/** The execution store behind the domain's port: each live execution's Avro state, read as the domain's. */
final class StoredExecutions implements ExecutionStore {

    private final KeyValueStore<String, ExecutionState> store;

    StoredExecutions(KeyValueStore<String, ExecutionState> store) {
        this.store = store;
    }

    @Override
    public Stored load(String executionId) {
        ExecutionState state = store.get(executionId);
        return state == null ? Stored.NONE : new Stored(AvroMapper.toDomain(state), state.getTraceparent());
    }
}
