package io.runstream.worker.messaging;

import io.runstream.engine.Subflows;
import io.runstream.schemas.WorkflowDefinition;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The engine's catalog of subflows: the worker's copy of the workflow catalog, through its {@link SubflowIndex}. */
final class CatalogSubflows implements Subflows {

    private final SubflowIndex index;
    private final ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog;

    CatalogSubflows(SubflowIndex index, ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog) {
        this.index = index;
        this.catalog = catalog;
    }

    @Override
    public Workflow find(String tenant, String namespace, String name, String version) {
        return index.find(catalog, tenant, namespace, name, version);
    }
}
