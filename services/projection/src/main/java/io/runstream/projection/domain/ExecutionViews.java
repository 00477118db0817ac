package io.runstream.projection.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Port: the stored execution view. */
public interface ExecutionViews {

    /**
     * Applies, in order and in one transaction, each change whose sequence is newer than the stored one.
     *
     * @throws UnstorableDataException if the database refuses what one of them carries; nothing is applied then
     */
    void applyAll(List<StatusChange> changes);

    /**
     * Records task steps for history; a step already recorded is ignored.
     *
     * @throws UnstorableDataException if the database refuses what one of them carries; nothing is recorded then
     */
    void recordSteps(List<TaskStep> steps);

    Optional<ExecutionView> find(String tenant, UUID executionId);

    /** Those of the executions that are in the view, whatever their tenant, in one read. */
    List<ExecutionView> findAll(Collection<UUID> executionIds);
}
