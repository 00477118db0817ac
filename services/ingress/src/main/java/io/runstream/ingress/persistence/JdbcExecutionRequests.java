package io.runstream.ingress.persistence;

import io.runstream.ingress.domain.AcceptedRequest;
import io.runstream.ingress.domain.ExecutionId;
import io.runstream.ingress.domain.ExecutionRequests;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Accepted requests in PostgreSQL; the primary key on (tenant, workflow, key) makes concurrent duplicates one. */
@Repository
class JdbcExecutionRequests implements ExecutionRequests {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final PublishedMarks marks;
    private final JsonMapper json;

    JdbcExecutionRequests(JdbcClient jdbc, PublishedMarks marks, JsonMapper json) {
        this.jdbc = jdbc;
        this.marks = marks;
        this.json = json;
    }

    @Override
    public Optional<AcceptedRequest> recordIfAbsent(AcceptedRequest request) {
        int inserted = jdbc.sql("""
                INSERT INTO execution_requests
                    (tenant, workflow_id, workflow_version, idempotency_key, execution_id, input_json, metadata,
                     accepted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (tenant, workflow_id, idempotency_key) DO NOTHING""")
                .params(request.tenant(), request.workflowId(), request.workflowVersion(), request.idempotencyKey(),
                        request.executionId().value(), request.inputJson(), json.writeValueAsString(request.metadata()),
                        Timestamp.from(request.acceptedAt()))
                .update();
        if (inserted == 1) {
            return Optional.empty();
        }
        return Optional.of(find(request.tenant(), request.workflowId(), request.idempotencyKey()).orElseThrow());
    }

    @Override
    public Optional<AcceptedRequest> find(String tenant, String workflowId, String idempotencyKey) {
        return jdbc.sql("""
                SELECT r.*, d.definition FROM execution_requests r
                LEFT JOIN workflow_definitions d
                  ON d.tenant = r.tenant AND d.workflow_id = r.workflow_id AND d.version = r.workflow_version
                WHERE r.tenant = ? AND r.workflow_id = ? AND r.idempotency_key = ?""")
                .params(tenant, workflowId, idempotencyKey)
                .query(this::map)
                .optional();
    }

    @Override
    public void markPublished(ExecutionId executionId, Instant publishedAt) {
        marks.add(executionId);
    }

    @Override
    public void markRefused(ExecutionId executionId, String reason) {
        jdbc.sql("UPDATE execution_requests SET refusal = ? WHERE execution_id = ? AND published_at IS NULL")
                .params(reason, executionId.value())
                .update();
    }

    @Override
    public int forgetPublishedBefore(Instant acceptedBefore, int limit) {
        return jdbc.sql("""
                DELETE FROM execution_requests WHERE execution_id IN (
                    SELECT execution_id FROM execution_requests
                    WHERE accepted_at < ? AND (published_at IS NOT NULL OR refusal IS NOT NULL)
                    ORDER BY accepted_at LIMIT ?)""")
                .params(Timestamp.from(acceptedBefore), limit)
                .update();
    }

    @Override
    public List<AcceptedRequest> unpublished(Instant acceptedBefore, int limit) {
        return jdbc.sql("""
                SELECT r.*, d.definition FROM execution_requests r
                LEFT JOIN workflow_definitions d
                  ON d.tenant = r.tenant AND d.workflow_id = r.workflow_id AND d.version = r.workflow_version
                WHERE r.published_at IS NULL AND r.refusal IS NULL AND r.accepted_at < ?
                ORDER BY r.accepted_at LIMIT ?""")
                .params(Timestamp.from(acceptedBefore), limit)
                .query(this::map)
                .list();
    }

    private AcceptedRequest map(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        return new AcceptedRequest(new ExecutionId(rs.getObject("execution_id", UUID.class)), rs.getString("tenant"),
                rs.getString("workflow_id"), rs.getObject("workflow_version", Integer.class),
                rs.getString("definition"), rs.getString("idempotency_key"), rs.getString("input_json"),
                json.readValue(rs.getString("metadata"), STRING_MAP), rs.getTimestamp("accepted_at").toInstant(),
                published == null ? null : published.toInstant(), rs.getString("refusal"));
    }
}
