package io.runstream.projection.domain;

import java.util.Optional;
import java.util.UUID;

/** Port: the stored execution view. */
public interface ExecutionViews {

    /** Applies the change if its sequence is newer than the stored one; returns whether it was applied. */
    boolean apply(StatusChange change);

    Optional<ExecutionView> find(String tenant, UUID executionId);
}
