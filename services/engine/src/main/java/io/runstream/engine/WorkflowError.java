package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** A Serverless Workflow error (type, status, title, detail, instance) that ends a run unless something catches it. */
public class WorkflowError extends RuntimeException {

    static final String ERRORS = "https://serverlessworkflow.io/spec/1.0.0/errors/";
    static final String TIMEOUT = ERRORS + "timeout";
    static final String COMMUNICATION = ERRORS + "communication";
    static final String CONFIGURATION = ERRORS + "configuration";
    static final String VALIDATION = ERRORS + "validation";
    private static final int CHAIN_STATUS = 508;
    private static final String CHAIN_TITLE = "Event chain too long";

    private final String type;
    private final int status;
    private final String title;
    private final String detail;
    private final String instance;

    public WorkflowError(String type, int status, String title, String detail, String instance) {
        super(title + (detail == null ? "" : ": " + detail));
        this.type = type;
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.instance = instance;
    }

    static WorkflowError expression(String instance, String detail) {
        return new WorkflowError(ERRORS + "expression", 400, "Expression failed", detail, instance);
    }

    /** Data that breaks its schema: the spec's validation error, with where in the data in the detail. */
    static WorkflowError validation(String instance, String detail) {
        return new WorkflowError(VALIDATION, 400, "Validation failed", detail, instance);
    }

    static WorkflowError unsupported(String instance, String what) {
        return new WorkflowError(CONFIGURATION, 400, "Not supported yet",
                what + " is not supported by this version of Runstream", instance);
    }

    static WorkflowError configuration(String instance, String title, String detail) {
        return new WorkflowError(CONFIGURATION, 400, title, detail, instance);
    }

    /** The failure as a spec error: itself if it is one, otherwise the spec's runtime error. */
    static WorkflowError of(Throwable failure, String instance) {
        return failure instanceof WorkflowError e ? e : new WorkflowError(ERRORS + "runtime", 500, "Runtime error",
                String.valueOf(failure.getMessage()), instance);
    }

    /** An emit past the longest chain of events: the spec's runtime error, with status 508 (loop detected). */
    static WorkflowError chainTooLong(String instance, int hops, int maxHops) {
        return new WorkflowError(ERRORS + "runtime", CHAIN_STATUS, CHAIN_TITLE, "this event would be the " + hops
                + "th emitted one after another (each consumed by a listen or starting a run that emits the next), "
                + "past the limit of " + maxHops + " (runstream.worker.events.max-hops): workflows that answer "
                + "each other's events loop", instance);
    }

    /** Whether it is the error of an emit past the longest chain of events. */
    public boolean isChainTooLong() {
        return status == CHAIN_STATUS && CHAIN_TITLE.equals(title);
    }

    /** A listen the correlation index would not take: its tenant has too many that every event visits. */
    static WorkflowError listenRefused(String instance) {
        return new WorkflowError(ERRORS + "runtime", 429, "Too many listens every event visits", "the tenant has as "
                + "many listens open as it may that every one of its events must visit, as they name no exact type "
                + "and no expected correlation (runstream.worker.events.max-scanned-listens); name the event type, "
                + "or correlate with an expect", instance);
    }

    /** A {@code run: workflow} that names no workflow of the tenant: the spec's configuration error (400). */
    static WorkflowError subflowNotFound(String instance, String namespace, String name, String version) {
        return configuration(instance, "Workflow not found", "No workflow with namespace '" + namespace
                + "', name '" + name + "' and " + (Subflows.LATEST.equals(version) ? "any version"
                : "version '" + version + "'") + " is defined for this tenant (a version is its document.version, "
                + "matched exactly; 'latest' takes the most recently stored)");
    }

    /** A {@code run: workflow} whose workflow is deactivated: the spec's configuration error (400). */
    static WorkflowError subflowInactive(String instance, String workflowId) {
        return configuration(instance, "Workflow inactive", "Workflow '" + workflowId + "' is deactivated; "
                + "activate it to start it as a subflow");
    }

    /** A subflow deeper than the limit: the spec's runtime error, with status 508 (loop detected). */
    static WorkflowError subflowTooDeep(String instance, int depth, int maxDepth) {
        return new WorkflowError(ERRORS + "runtime", CHAIN_STATUS, "Subflows nested too deep", "this subflow "
                + "would be " + depth + " deep (a run started by another is one deeper than it), past the limit of "
                + maxDepth + " (runstream.worker.limits.max-subflow-depth): a workflow that runs itself, directly "
                + "or through others, never ends", instance);
    }

    /** A subflow input too large to start it with: the spec's runtime error, with status 413. */
    static WorkflowError subflowInputTooLarge(String instance, int bytes, int maxBytes) {
        return new WorkflowError(ERRORS + "runtime", 413, "Subflow input too large", "the input is " + bytes
                + " bytes of JSON; a subflow starts with at most " + maxBytes, instance);
    }

    /**
     * The error a subflow ended with, raised in the task that waited for it: the same type, status and title, so a
     * {@code catch} matches it as it would in the child, with the child named in the detail and the task as the
     * instance.
     */
    static WorkflowError subflowFailed(String instance, String child, WorkflowError error) {
        return new WorkflowError(error.type(), error.status(), error.title(), "subflow " + child + " failed"
                + (error.detail() == null ? "" : ": " + error.detail())
                + (error.instance() == null || error.instance().isEmpty() ? "" : " (at " + error.instance() + ")"),
                instance);
    }

    static WorkflowError timeout(String instance, Duration after) {
        return new WorkflowError(TIMEOUT, 408, "Timed out", "Did not complete within " + after, instance);
    }

    /** The spec's authorization error (403): the call could not get the credentials it names. */
    static WorkflowError authorization(String instance, String detail) {
        return new WorkflowError(ERRORS + "authorization", 403, "Secret unavailable", detail, instance);
    }

    /** The spec's authentication error: the call's credential could not be had (the authority's status). */
    static WorkflowError authentication(String instance, int status, String detail) {
        return new WorkflowError(ERRORS + "authentication", status == 0 ? 401 : status, "Authentication failed",
                detail, instance);
    }

    static WorkflowError communication(String instance, int status, String title, String detail) {
        return new WorkflowError(COMMUNICATION, status, title, detail, instance);
    }

    /** True for the spec's timeout error, which ends an uncaught run as TIMED_OUT rather than FAILED. */
    public boolean isTimeout() {
        return TIMEOUT.equals(type);
    }

    /** The error back from {@link #toJson()}. */
    public static WorkflowError fromJson(JsonNode node) {
        return new WorkflowError(node.path("type").asText(null), node.path("status").asInt(0),
                node.path("title").asText(null), node.path("detail").asText(null), node.path("instance").asText(null));
    }

    /** One line for an execution's error message: title, detail, status, type and where. */
    public String describe() {
        StringBuilder message = new StringBuilder();
        message.append(title == null ? "Workflow error" : title);
        if (detail != null) {
            message.append(": ").append(detail);
        }
        message.append(" (status ").append(status);
        if (type != null) {
            message.append(", type ").append(type);
        }
        message.append(", at ").append(instance).append(')');
        return message.toString();
    }

    /** The error as the spec's error object, as catch blocks see it in {@code $error}. */
    public JsonNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", type);
        node.put("status", status);
        node.put("title", title);
        if (detail != null) {
            node.put("detail", detail);
        }
        node.put("instance", instance);
        return node;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String instance() {
        return instance;
    }
}
