package io.runstream.worker.messaging;

import io.runstream.schemas.WorkflowDefinition;
import io.runstream.worker.domain.DefinitionStore;
import org.apache.kafka.streams.state.KeyValueStore;

/** The workflow catalog (a global store) and the definition texts behind the domain's port. */
final class DefinitionCatalog implements DefinitionStore {

    private final KeyValueStore<String, WorkflowDefinition> workflows;
    private final DefinitionTexts texts;

    DefinitionCatalog(KeyValueStore<String, WorkflowDefinition> workflows, DefinitionTexts texts) {
        this.workflows = workflows;
        this.texts = texts;
    }

    @Override
    public WorkflowVersion current(String tenant, String workflowId) {
        WorkflowDefinition workflow = workflows.get(tenant + "/" + workflowId);
        return workflow == null ? null
                : new WorkflowVersion(workflow.getVersion(), workflow.getDefinition(), workflow.getActive());
    }

    @Override
    public String remember(String text) {
        return texts.remember(text);
    }

    @Override
    public String text(String definition) {
        return texts.text(definition);
    }
}
