package io.runstream.ingress.web;

import java.util.UUID;

/** The execution id in a path: a UUID, since an id that is not one names no execution (404, as for a read). */
final class ExecutionIds {

    private ExecutionIds() {
    }

    static UUID parse(String executionId) {
        try {
            return UUID.fromString(executionId);
        } catch (IllegalArgumentException e) {
            throw new ExecutionIdInvalidException(executionId);
        }
    }
}
