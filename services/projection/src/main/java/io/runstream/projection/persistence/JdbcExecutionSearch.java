package io.runstream.projection.persistence;

import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionSearch;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import io.runstream.projection.domain.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keyset-paginated searches: every filter combination in {@link ExecutionQuery} is served by an index that starts
 * with the tenant and ends with the order column and the id (see V3__queries.sql), so a page costs the same at the
 * first row as at the ten-millionth.
 */
@Repository
class JdbcExecutionSearch implements ExecutionSearch {

    /**
     * Status changes and task steps in one order: the order the worker published them in (their ordinal). Rows
     * written before ordinals (0) come first, in the order history listed them before: by time, then status changes
     * before task steps, then by key. A task step's key ends in its redrive when it ran in one, so the rerun of a
     * failed step stays apart from it and keys of steps before any redrive are as they were.
     */
    private static final String HISTORY = """
            SELECT * FROM (
                SELECT 'STATUS' AS kind, occurred_at AS at, 's' || lpad(sequence::text, 19, '0') AS k, status,
                       attempt, error_code, error_message, NULL AS name, NULL AS position, NULL AS task_type,
                       NULL::int AS task_attempts, NULL::timestamptz AS started_at, NULL::timestamptz AS ended_at,
                       phase, NULL AS input_json, NULL AS output_json, false AS data_truncated, redrive_count,
                       ordinal, NULL AS events, NULL::uuid AS child_execution_id
                FROM execution_history WHERE execution_id = ?
                UNION ALL
                SELECT 'TASK', ended_at, 't' || lpad(attempt::text, 5, '0') || lpad(step::text, 19, '0') || position
                           || '@' || to_char(started_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')
                           || CASE WHEN redrive_count > 0 THEN '#' || lpad(redrive_count::text, 5, '0') ELSE '' END,
                       status, attempt, error_code, error_message, name, position, task_type, task_attempts,
                       started_at, ended_at, NULL, input_json, output_json, data_truncated, redrive_count, ordinal,
                       events, child_execution_id
                FROM execution_task_steps WHERE execution_id = ?
            ) h
            WHERE ?::timestamptz IS NULL OR (h.ordinal, h.at, h.k) > (?::bigint, ?::timestamptz, ?)
            ORDER BY h.ordinal, h.at, h.k
            LIMIT ?""";

    private final JdbcClient jdbc;
    private final JdbcExecutionViews views;

    JdbcExecutionSearch(JdbcClient jdbc, JdbcExecutionViews views) {
        this.jdbc = jdbc;
        this.views = views;
    }

    @Override
    public Page<ExecutionView> list(ExecutionQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM executions WHERE tenant = ?");
        List<Object> params = new ArrayList<>(List.of(q.tenant()));
        equal(sql, params, "workflow_id", q.workflowId());
        equal(sql, params, "source_system", q.sourceSystem());
        equal(sql, params, "external_ref", q.externalRef());
        equal(sql, params, "source_entity_id", q.sourceEntityId());
        if (q.parentExecutionId() != null) {
            sql.append(" AND parent_execution_id = ?");
            params.add(q.parentExecutionId());
        }
        if (q.statuses() != null && !q.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", q.statuses().stream().map(s -> "?").toList()))
                    .append(')');
            q.statuses().stream().map(ExecutionStatus::name).forEach(params::add);
        }
        switch (q.phase()) {
            case NONE -> sql.append(" AND phase IS NULL");
            case WAITING -> sql.append(" AND phase = 'WAITING'");
            case SUSPENDED -> sql.append(" AND phase = 'SUSPENDED'");
            case ACTIVE -> sql.append(" AND phase IS DISTINCT FROM 'SUSPENDED'");
            case ANY -> {
            }
        }
        range(sql, params, "started_at", q.startedFrom(), q.startedTo());
        range(sql, params, "finished_at", q.finishedFrom(), q.finishedTo());
        String column = q.order() == ExecutionQuery.Order.FINISHED_AT ? "finished_at" : "started_at";
        if (q.order() == ExecutionQuery.Order.FINISHED_AT) {
            sql.append(" AND finished_at IS NOT NULL");
        }
        String direction = q.ascending() ? "ASC" : "DESC";
        if (q.after() != null) {
            sql.append(" AND (").append(column).append(", execution_id) ").append(q.ascending() ? ">" : "<")
                    .append(" (?, ?)");
            params.add(JdbcExecutionViews.ts(q.after().at()));
            params.add(q.after().executionId());
        }
        sql.append(" ORDER BY ").append(column).append(' ').append(direction).append(", execution_id ")
                .append(direction).append(" LIMIT ?");
        params.add(q.limit() + 1);
        List<ExecutionView> rows = jdbc.sql(sql.toString()).params(params).query(views.rowMapper()).list();
        return page(rows, q.limit());
    }

    @Override
    public Page<HistoryEntry> history(UUID executionId, HistoryEntry.Position after, int limit) {
        var at = after == null ? null : JdbcExecutionViews.ts(after.at());
        List<HistoryEntry> rows = jdbc.sql(HISTORY)
                .params(executionId, executionId, at, after == null ? null : after.ordinal(), at,
                        after == null ? null : after.key(), limit + 1)
                .query(JdbcExecutionSearch::entry).list();
        return page(rows, limit);
    }

    private static HistoryEntry entry(ResultSet rs, int row) throws SQLException {
        String errorCode = rs.getString("error_code");
        int taskAttempts = rs.getInt("task_attempts");
        return new HistoryEntry(HistoryEntry.Kind.valueOf(rs.getString("kind")),
                JdbcExecutionViews.instant(rs.getTimestamp("at")), rs.getString("k"), rs.getString("status"),
                rs.getInt("attempt"),
                errorCode == null ? null : new ExecutionError(errorCode, rs.getString("error_message")),
                rs.getString("name"), rs.getString("position"), rs.getString("task_type"),
                rs.wasNull() ? null : taskAttempts, JdbcExecutionViews.instant(rs.getTimestamp("started_at")),
                JdbcExecutionViews.instant(rs.getTimestamp("ended_at")), rs.getString("phase"),
                rs.getString("input_json"), rs.getString("output_json"), rs.getBoolean("data_truncated"),
                rs.getInt("redrive_count"), rs.getLong("ordinal"), StoredEvents.read(rs.getString("events")),
                rs.getObject("child_execution_id", UUID.class));
    }

    private static <T> Page<T> page(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? rows.subList(0, limit) : rows, more);
    }

    private static void equal(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    private static void range(StringBuilder sql, List<Object> params, String column, java.time.Instant from,
            java.time.Instant to) {
        if (from != null) {
            sql.append(" AND ").append(column).append(" >= ?");
            params.add(JdbcExecutionViews.ts(from));
        }
        if (to != null) {
            sql.append(" AND ").append(column).append(" < ?");
            params.add(JdbcExecutionViews.ts(to));
        }
    }
}
