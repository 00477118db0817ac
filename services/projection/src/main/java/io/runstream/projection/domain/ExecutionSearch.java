package io.runstream.projection.domain;

import java.util.UUID;

/** Port: searches over the view, answered from its indexes. */
public interface ExecutionSearch {

    Page<ExecutionView> list(ExecutionQuery query);

    /** The history of an execution (already known to be visible to the caller), oldest first. */
    Page<HistoryEntry> history(UUID executionId, HistoryEntry.Position after, int limit);
}
