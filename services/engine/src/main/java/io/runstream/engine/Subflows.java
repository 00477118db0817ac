package io.runstream.engine;

/**
 * Where a {@code run: workflow} task finds the workflow it runs as a subflow: the catalog of the execution's tenant,
 * by the {@code namespace}, {@code name} and {@code version} of the workflows' {@code document}. The one who keeps
 * the catalog (the worker) implements it; the engine only asks.
 */
public interface Subflows {

    /** The version a task names when it names none: the most recently stored of the matching workflows. */
    String LATEST = "latest";

    /** A catalog with no workflow in it (for tests and tools). */
    Subflows NONE = (tenant, namespace, name, version) -> null;

    /**
     * The tenant's workflow whose {@code document} has this namespace and name and, unless {@code version} is
     * {@link #LATEST}, exactly this version (the text of {@code document.version}, compared as it is); among several,
     * the most recently stored. Null when the tenant has none.
     */
    Workflow find(String tenant, String namespace, String name, String version);

    /**
     * A workflow of the catalog: its id, the catalog's version number of it, its definition text, and whether it may
     * start executions.
     */
    record Workflow(String workflowId, int version, String definition, boolean active) {
    }
}
