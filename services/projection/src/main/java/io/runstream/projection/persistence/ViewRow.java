package io.runstream.projection.persistence;

import io.runstream.projection.domain.StatusChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one batch's status changes of one execution leave in its row, folded by the view's own rules so that one
 * upsert does what applying them one by one would: the change with the highest sequence (the first of equals)
 * describes where the execution is; the input and the parent are the first given; metadata keys keep the value they
 * were first given; the start is the earliest and the update time the latest. A batch usually holds several changes
 * of an execution (a short one is queued, run and ended in one transaction of the worker), and each upsert of the same
 * row is a new row version in PostgreSQL.
 *
 * @param latest the change that describes where the execution is
 */
record ViewRow(StatusChange latest, String inputJson, Map<String, String> metadata, Instant startedAt,
        Instant updatedAt, UUID parentExecutionId) {

    /** One row for each execution in the batch, in the order each first appears. */
    static List<ViewRow> of(List<StatusChange> changes) {
        Map<UUID, ViewRow> rows = new LinkedHashMap<>();
        for (StatusChange change : changes) {
            rows.merge(change.executionId(), first(change), ViewRow::then);
        }
        return new ArrayList<>(rows.values());
    }

    private static ViewRow first(StatusChange change) {
        return new ViewRow(change, change.inputJson(), change.metadata() == null ? Map.of() : change.metadata(),
                change.requestedAt(), change.occurredAt(), change.parentExecutionId());
    }

    /** This row with a later change of the same execution applied. */
    private ViewRow then(ViewRow next) {
        StatusChange change = next.latest();
        Map<String, String> merged = metadata;
        if (!metadata.keySet().containsAll(next.metadata().keySet())) {
            merged = new HashMap<>(next.metadata());
            merged.putAll(metadata);
        }
        return new ViewRow(change.sequence() > latest.sequence() ? change : latest,
                inputJson != null ? inputJson : change.inputJson(), merged, earliest(startedAt, next.startedAt()),
                latest(updatedAt, next.updatedAt()), parentExecutionId != null ? parentExecutionId
                        : change.parentExecutionId());
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
