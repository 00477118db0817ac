package io.runstream.ingress.persistence;

import io.runstream.ingress.catalog.DefinitionFormat;
import io.runstream.ingress.catalog.StoredVersion;
import io.runstream.ingress.catalog.WorkflowVersion;
import io.runstream.ingress.catalog.Workflows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The workflow catalog in PostgreSQL: the workflow row is locked while a new version number is taken. */
@Repository
class JdbcWorkflows implements Workflows {

    private static final String LATEST = """
            SELECT w.tenant, w.workflow_id, w.latest_version AS version, d.format, d.definition, w.active,
                   w.updated_at
            FROM workflows w
            JOIN workflow_definitions d
              ON d.tenant = w.tenant AND d.workflow_id = w.workflow_id AND d.version = w.latest_version
            """;

    private final JdbcClient jdbc;

    JdbcWorkflows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public WorkflowVersion saveNewVersion(String tenant, String workflowId, DefinitionFormat format,
            String definition, Instant at) {
        jdbc.sql("""
                INSERT INTO workflows (tenant, workflow_id, latest_version, active, updated_at)
                VALUES (?, ?, 0, true, ?)
                ON CONFLICT (tenant, workflow_id) DO NOTHING""")
                .params(tenant, workflowId, Timestamp.from(at)).update();
        int version = jdbc.sql("""
                UPDATE workflows SET latest_version = latest_version + 1, updated_at = ?, published_at = NULL,
                    refusal = NULL
                WHERE tenant = ? AND workflow_id = ? RETURNING latest_version""")
                .params(Timestamp.from(at), tenant, workflowId).query(Integer.class).single();
        jdbc.sql("""
                INSERT INTO workflow_definitions (tenant, workflow_id, version, format, definition, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(tenant, workflowId, version, format.name(), definition, Timestamp.from(at)).update();
        return latest(tenant, workflowId).orElseThrow();
    }

    @Override
    public Optional<WorkflowVersion> latest(String tenant, String workflowId) {
        return jdbc.sql(LATEST + " WHERE w.tenant = ? AND w.workflow_id = ?")
                .params(tenant, workflowId).query(JdbcWorkflows::map).optional();
    }

    @Override
    @Transactional
    public Optional<WorkflowVersion> setActive(String tenant, String workflowId, boolean active, Instant at) {
        int updated = jdbc.sql("""
                UPDATE workflows SET active = ?, updated_at = ?, published_at = NULL, refusal = NULL
                WHERE tenant = ? AND workflow_id = ?""")
                .params(active, Timestamp.from(at), tenant, workflowId).update();
        return updated == 0 ? Optional.empty() : latest(tenant, workflowId);
    }

    @Override
    public void markPublished(WorkflowVersion version, Instant at) {
        jdbc.sql("""
                UPDATE workflows SET published_at = ?
                WHERE tenant = ? AND workflow_id = ? AND latest_version = ? AND active = ? AND updated_at = ?""")
                .params(Timestamp.from(at), version.tenant(), version.workflowId(), version.version(),
                        version.active(), Timestamp.from(version.updatedAt()))
                .update();
    }

    @Override
    public void markRefused(WorkflowVersion version, String reason) {
        jdbc.sql("""
                UPDATE workflows SET refusal = ?
                WHERE tenant = ? AND workflow_id = ? AND latest_version = ? AND updated_at = ?""")
                .params(reason, version.tenant(), version.workflowId(), version.version(),
                        Timestamp.from(version.updatedAt()))
                .update();
    }

    @Override
    public List<WorkflowVersion> unpublished(Instant changedBefore, int limit) {
        return jdbc.sql(LATEST + " WHERE w.published_at IS NULL AND w.refusal IS NULL AND w.updated_at < ? "
                + "ORDER BY w.updated_at LIMIT ?")
                .params(Timestamp.from(changedBefore), limit)
                .query(JdbcWorkflows::map).list();
    }

    @Override
    public List<WorkflowVersion> list(String tenant, String afterWorkflowId, int limit) {
        return jdbc.sql(LATEST + " WHERE w.tenant = ? AND w.workflow_id > ? ORDER BY w.workflow_id LIMIT ?")
                .params(tenant, afterWorkflowId == null ? "" : afterWorkflowId, limit)
                .query(JdbcWorkflows::map).list();
    }

    @Override
    public List<StoredVersion> versions(String tenant, String workflowId, Integer beforeVersion, int limit) {
        return jdbc.sql("""
                SELECT workflow_id, version, format, definition, created_at FROM workflow_definitions
                WHERE tenant = ? AND workflow_id = ? AND version < ? ORDER BY version DESC LIMIT ?""")
                .params(tenant, workflowId, beforeVersion == null ? Integer.MAX_VALUE : beforeVersion, limit)
                .query(JdbcWorkflows::mapStored).list();
    }

    @Override
    public Optional<StoredVersion> version(String tenant, String workflowId, int version) {
        return jdbc.sql("""
                SELECT workflow_id, version, format, definition, created_at FROM workflow_definitions
                WHERE tenant = ? AND workflow_id = ? AND version = ?""")
                .params(tenant, workflowId, version)
                .query(JdbcWorkflows::mapStored).optional();
    }

    private static StoredVersion mapStored(ResultSet rs, int row) throws SQLException {
        return new StoredVersion(rs.getString("workflow_id"), rs.getInt("version"),
                DefinitionFormat.valueOf(rs.getString("format")), rs.getString("definition"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static WorkflowVersion map(ResultSet rs, int row) throws SQLException {
        return new WorkflowVersion(rs.getString("tenant"), rs.getString("workflow_id"), rs.getInt("version"),
                DefinitionFormat.valueOf(rs.getString("format")), rs.getString("definition"),
                rs.getBoolean("active"), rs.getTimestamp("updated_at").toInstant());
    }
}
