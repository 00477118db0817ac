package io.runstream.projection.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.projection.domain.ExecutionError;
import io.runstream.projection.domain.ExecutionStatus;
import io.runstream.projection.domain.StatusChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ViewRowTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID PARENT = UUID.randomUUID();

    @Test
    void shouldFoldAnExecutionsChangesIntoOneRowAsTheyWouldApplyOneByOne() {
        StatusChange queued = change(A, ExecutionStatus.QUEUED, 1, T0.plusMillis(5), "{\"x\":1}",
                Map.of("source", "crm", "team", "a"), PARENT);
        StatusChange running = change(A, ExecutionStatus.RUNNING, 2, T0.plusMillis(9), null, Map.of("team", "b"),
                null);
        StatusChange succeeded = change(A, ExecutionStatus.SUCCEEDED, 3, T0.plusMillis(7), "{\"x\":9}",
                Map.of("extra", "1"), null);

        List<ViewRow> rows = ViewRow.of(List.of(queued, running, succeeded));

        assertThat(rows).hasSize(1);
        ViewRow row = rows.get(0);
        assertThat(row.latest()).as("the highest sequence describes where it is").isSameAs(succeeded);
        assertThat(row.inputJson()).as("the first input given").isEqualTo("{\"x\":1}");
        assertThat(row.metadata()).as("a key keeps its first value").containsExactlyInAnyOrderEntriesOf(
                Map.of("source", "crm", "team", "a", "extra", "1"));
        assertThat(row.startedAt()).isEqualTo(T0);
        assertThat(row.updatedAt()).as("the latest time, whichever change had it").isEqualTo(T0.plusMillis(9));
        assertThat(row.parentExecutionId()).isEqualTo(PARENT);
    }

    @Test
    void shouldKeepTheNewestChangeWhateverOrderTheyCameInAndTheFirstOfEqualSequences() {
        StatusChange failed = change(A, ExecutionStatus.FAILED, 3, T0.plusMillis(3), null, Map.of(), null);
        StatusChange again = change(A, ExecutionStatus.FAILED, 3, T0.plusMillis(3), null, Map.of(), null);
        StatusChange queued = change(A, ExecutionStatus.QUEUED, 1, T0.plusMillis(1), "{\"x\":1}",
                Map.of("source", "crm"), null);

        ViewRow row = ViewRow.of(List.of(failed, queued, again)).get(0);

        assertThat(row.latest()).isSameAs(failed);
        assertThat(row.inputJson()).as("an older change still brings the input").isEqualTo("{\"x\":1}");
        assertThat(row.metadata()).containsExactlyEntriesOf(Map.of("source", "crm"));
    }

    @Test
    void shouldGiveEachExecutionItsOwnRowInTheOrderTheyFirstCome() {
        StatusChange b1 = change(B, ExecutionStatus.QUEUED, 1, T0, "{}", Map.of(), null);
        StatusChange a1 = change(A, ExecutionStatus.QUEUED, 1, T0, "{}", Map.of(), null);
        StatusChange b2 = change(B, ExecutionStatus.RUNNING, 2, T0, null, Map.of(), null);

        List<ViewRow> rows = ViewRow.of(List.of(b1, a1, b2));

        assertThat(rows).extracting(row -> row.latest()).containsExactly(b2, a1);
    }

    private static StatusChange change(UUID id, ExecutionStatus status, long sequence, Instant at, String input,
            Map<String, String> metadata, UUID parent) {
        ExecutionError error = status == ExecutionStatus.FAILED ? new ExecutionError("WORKFLOW_ERROR", "boom") : null;
        return new StatusChange(id, "default", "demo", status, sequence, 1, at, T0.plusMillis(sequence - 1), input,
                status == ExecutionStatus.SUCCEEDED ? "{\"y\":2}" : null, error, metadata, null, 0, sequence,
                List.of(), parent);
    }
}
