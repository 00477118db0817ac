package io.runstream.ingress.catalog;

import java.time.Instant;

/** One version of a workflow as it was stored, whatever the workflow's latest version is now. */
public record StoredVersion(String workflowId, int version, DefinitionFormat format, String definition,
        Instant createdAt) {
}
