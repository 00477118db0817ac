package io.runstream.projection.persistence;

import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.StatusChange;
import io.runstream.projection.domain.TaskStep;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The view in PostgreSQL. Status, phase, the listens it waits on, attempt, redrive count, error, output and finish
 * time follow the newest sequence, so a redrive (RUNNING after FAILED or TIMED_OUT) reopens the execution, and
 * redelivered and out-of-order events are harmless; what only the QUEUED event carries (input and metadata) is kept
 * whichever order the events arrive in, and so is a subflow's parent, which never changes. Input and output are kept
 * as the JSON text the worker wrote (a NUL in user data included); text that PostgreSQL cannot hold elsewhere is
 * cleaned ({@link PgText}), and a refusal for the data itself is the domain's
 * {@link io.runstream.projection.domain.UnstorableDataException}.
 */
@Repository
class JdbcExecutionViews implements ExecutionViews {

    private static final String HISTORY = """
            INSERT INTO execution_history
                (execution_id, sequence, status, attempt, error_code, error_message, occurred_at, phase, redrive_count,
                 ordinal)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (execution_id, sequence) DO NOTHING""";

    /**
     * A newer event (higher sequence) sets everything that describes where the execution is, clearing what it does
     * not carry: a RUNNING after a failure has no error and no finish time. An older one may only fill in the input
     * and metadata.
     */
    private static final String UPSERT = """
            INSERT INTO executions AS v
                (execution_id, tenant, workflow_id, status, sequence, attempt, input_json, output_json,
                 error_code, error_message, metadata, started_at, finished_at, updated_at, phase, redrive_count,
                 waiting_for, parent_execution_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (execution_id) DO UPDATE SET
                status = CASE WHEN v.sequence < excluded.sequence THEN excluded.status ELSE v.status END,
                phase = CASE WHEN v.sequence < excluded.sequence THEN excluded.phase ELSE v.phase END,
                waiting_for = CASE WHEN v.sequence < excluded.sequence THEN excluded.waiting_for
                                   ELSE v.waiting_for END,
                sequence = GREATEST(v.sequence, excluded.sequence),
                attempt = CASE WHEN v.sequence < excluded.sequence THEN excluded.attempt ELSE v.attempt END,
                redrive_count = CASE WHEN v.sequence < excluded.sequence THEN excluded.redrive_count
                                     ELSE v.redrive_count END,
                input_json = COALESCE(v.input_json, excluded.input_json),
                output_json = CASE WHEN v.sequence < excluded.sequence THEN excluded.output_json
                                   ELSE v.output_json END,
                error_code = CASE WHEN v.sequence < excluded.sequence THEN excluded.error_code ELSE v.error_code END,
                error_message = CASE WHEN v.sequence < excluded.sequence THEN excluded.error_message
                                     ELSE v.error_message END,
                metadata = excluded.metadata || v.metadata,
                started_at = LEAST(v.started_at, excluded.started_at),
                finished_at = CASE WHEN v.sequence < excluded.sequence THEN excluded.finished_at
                                   ELSE v.finished_at END,
                updated_at = GREATEST(v.updated_at, excluded.updated_at),
                parent_execution_id = COALESCE(v.parent_execution_id, excluded.parent_execution_id)
            WHERE v.sequence < excluded.sequence
               OR (v.input_json IS NULL AND excluded.input_json IS NOT NULL)
               OR (v.parent_execution_id IS NULL AND excluded.parent_execution_id IS NOT NULL)
               OR NOT v.metadata @> excluded.metadata""";

    private static final String STEP = """
            INSERT INTO execution_task_steps
                (execution_id, tenant, attempt, step, position, started_at, name, task_type, status, task_attempts,
                 ended_at, error_code, error_message, input_json, output_json, data_truncated, redrive_count, ordinal,
                 events, child_execution_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (execution_id, attempt, position, started_at, step, redrive_count) DO NOTHING""";

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;

    JdbcExecutionViews(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
    }

    @Override
    @Transactional
    public void applyAll(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            batch.batchUpdate(HISTORY, changes.stream().map(c -> new Object[] {c.executionId(), c.sequence(),
                    c.status().name(), c.attempt(), errorCode(c), errorMessage(c), ts(c.occurredAt()), c.phase(),
                    c.redriveCount(), c.ordinal()}).toList());
            batch.batchUpdate(UPSERT, ViewRow.of(changes).stream().map(row -> {
                StatusChange c = row.latest();
                return new Object[] {c.executionId(), clean(c.tenant()), clean(c.workflowId()), c.status().name(),
                    c.sequence(), c.attempt(), row.inputJson(), c.outputJson(), errorCode(c), errorMessage(c),
                    json.writeValueAsString(PgText.clean(row.metadata())), ts(row.startedAt()), ts(c.finishedAt()),
                    ts(row.updatedAt()), c.phase(), c.redriveCount(), StoredWaits.write(c.waitingFor(), json),
                    row.parentExecutionId()};
            }).toList());
        } catch (DataAccessException e) {
            throw PgText.translate(e);
        }
    }

    @Override
    @Transactional
    public void recordSteps(List<TaskStep> steps) {
        if (steps.isEmpty()) {
            return;
        }
        try {
            batch.batchUpdate(STEP, steps.stream().map(s -> new Object[] {s.executionId(), clean(s.tenant()),
                    s.attempt(), s.step(), clean(s.position()), ts(s.startedAt()), clean(s.name()), clean(s.type()),
                    s.status(), s.taskAttempts(), ts(s.endedAt()), s.error() == null ? null : clean(s.error().code()),
                    s.error() == null ? null : clean(s.error().message()), s.inputJson(), s.outputJson(),
                    s.dataTruncated(), s.redriveCount(), s.ordinal(), StoredEvents.write(s.events()),
                    s.childExecutionId()}).toList());
        } catch (DataAccessException e) {
            throw PgText.translate(e);
        }
    }

    private static String errorCode(StatusChange c) {
        return c.error() == null ? null : clean(c.error().code());
    }

    private static String errorMessage(StatusChange c) {
        return c.error() == null ? null : clean(c.error().message());
    }

    private static String clean(String text) {
        return PgText.clean(text);
    }

    @Override
    public Optional<ExecutionView> find(String tenant, UUID executionId) {
        return jdbc.sql("SELECT * FROM executions WHERE execution_id = ? AND tenant = ?")
                .params(executionId, tenant)
                .query(this::map)
                .optional();
    }

    @Override
    public List<ExecutionView> findAll(Collection<UUID> executionIds) {
        if (executionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM executions WHERE execution_id = ANY(?)")
                .param(executionIds.toArray(UUID[]::new))
                .query(this::map)
                .list();
    }

    private ExecutionView map(ResultSet rs, int row) throws SQLException {
        String errorCode = rs.getString("error_code");
        String metadata = rs.getString("metadata");
        return new ExecutionView(rs.getObject("execution_id", UUID.class), rs.getString("tenant"),
                rs.getString("workflow_id"), ExecutionStatus.valueOf(rs.getString("status")), rs.getLong("sequence"),
                rs.getInt("attempt"), rs.getString("input_json"), rs.getString("output_json"),
                errorCode == null ? null : new ExecutionError(errorCode, rs.getString("error_message")),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                metadata == null ? Map.of() : json.readValue(metadata, STRING_MAP), rs.getString("phase"),
                rs.getInt("redrive_count"), StoredWaits.read(rs.getString("waiting_for"), json),
                rs.getObject("parent_execution_id", UUID.class));
    }

    /** The row mapper for execution rows, shared with the searches. */
    RowMapper<ExecutionView> rowMapper() {
        return this::map;
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
