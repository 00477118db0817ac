package io.runstream.ingress.catalog;

/** The workflow exists for the caller's tenant but has no such version. */
public class VersionNotFoundException extends RuntimeException {

    public VersionNotFoundException(String workflowId, int version) {
        super("Workflow '" + workflowId + "' has no version " + version);
    }
}
