package io.runstream.ingress.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runstream.ingress.catalog.StoredVersion;
import java.time.Instant;

/** One stored version of a workflow; in a page of versions, without its definition text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VersionResponse(String workflowId, int version, String format, String definition, Instant createdAt) {

    static VersionResponse of(StoredVersion v) {
        return new VersionResponse(v.workflowId(), v.version(), v.format().name(), v.definition(), v.createdAt());
    }

    static VersionResponse summary(StoredVersion v) {
        return new VersionResponse(v.workflowId(), v.version(), v.format().name(), null, v.createdAt());
    }
}
