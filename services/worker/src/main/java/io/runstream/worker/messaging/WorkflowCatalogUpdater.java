package io.runstream.worker.messaging;

import io.runstream.schemas.WorkflowDefinition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the worker's global copy of the workflow catalog, the latest version of each tenant/workflowId, and the index
 * subflows are found by.
 */
final class WorkflowCatalogUpdater implements Processor<String, WorkflowDefinition, Void, Void> {

    private final SubflowIndex index;
    private KeyValueStore<String, WorkflowDefinition> store;

    WorkflowCatalogUpdater(SubflowIndex index) {
        this.index = index;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ExecutionTopology.WORKFLOWS);
    }

    @Override
    public void process(Record<String, WorkflowDefinition> record) {
        if (record.key() == null) {
            return;
        }
        WorkflowDefinition current = store.get(record.key());
        if (record.value() == null) {
            store.delete(record.key());
            index.stored(record.key(), null);
        } else if (current == null || record.value().getVersion() >= current.getVersion()) {
            store.put(record.key(), record.value());
            index.stored(record.key(), record.value());
        }
    }
}
