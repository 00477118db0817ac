package io.runstream.worker.domain;

/** Port: workflow definitions, the catalog's current versions and each text the executions run, by reference. */
public interface DefinitionStore {

    /** The current version of a tenant's workflow in the catalog, or null if it is not defined. */
    WorkflowVersion current(String tenant, String workflowId);

    /** Keeps the text (if it is not kept yet) and returns its reference, which the state keeps instead. */
    String remember(String text);

    /** The text behind a reference; a text (from state written before references) is returned as it is. */
    String text(String definition);

    /** A workflow's version in the catalog: its number, its definition and whether it may start executions. */
    record WorkflowVersion(int version, String definition, boolean active) {
    }
}
