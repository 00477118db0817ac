package io.runstream.worker.engine;

/** A Serverless Workflow error (type, status, title, detail, instance) that ends a run unless something catches it. */
public class WorkflowError extends RuntimeException {

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
        return new WorkflowError("https://serverlessworkflow.io/spec/1.0.0/errors/expression", 400,
                "Expression failed", detail, instance);
    }

    static WorkflowError unsupported(String instance, String what) {
        return new WorkflowError("https://serverlessworkflow.io/spec/1.0.0/errors/configuration", 400,
                "Not supported yet", what + " is not supported by this version of Runstream", instance);
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
