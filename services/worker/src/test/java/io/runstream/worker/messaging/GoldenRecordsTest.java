package io.runstream.worker.messaging;

import io.runstream.worker.runner.ActivityRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.worker.domain.ActivityResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Executions an older release left in a worker's stores (written by {@link GoldenCases#main} before the core was
 * rebuilt) resume on today's engine: a wait, a retry delay, a fork with a call in flight and a wait, and a call in
 * flight each end SUCCEEDED with the output they would have had.
 */
class GoldenRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ExecutionStatusChanged> resume(String file, boolean callInFlight) throws Exception {
        try (TopologyHarness h = new TopologyHarness()) {
            JsonNode record = GoldenRecords.load(h, GoldenCases.DIR.resolve(file));
            JsonNode next = record.get("next");
            String id = record.get("executionId").asText();
            if (callInFlight) {
                h.reports.pipeInput(id, ActivityRecords.toAvro(new ActivityResult(id, next.get("activity").asLong(),
                        next.get("dispatch").asInt(), GoldenCases.OK), Instant.parse("2026-11-23T10:00:01Z")));
            }
            h.advance(GoldenCases.advance(next));
            h.runActivities(request -> GoldenCases.OK);
            return h.status.readValuesToList();
        }
    }

    private static JsonNode output(List<ExecutionStatusChanged> events) throws Exception {
        ExecutionStatusChanged last = events.get(events.size() - 1);
        assertThat(last.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return JSON.readTree(last.getOutputJson());
    }

    @Test
    void shouldResumeAnExecutionParkedInAWait() throws Exception {
        assertThat(output(resume("wait.json", false))).isEqualTo(JSON.readTree("{\"waited\":true}"));
    }

    @Test
    void shouldResumeAnExecutionInARetryDelay() throws Exception {
        assertThat(output(resume("retry.json", false))).isEqualTo(JSON.readTree("{\"charged\":true}"));
    }

    @Test
    void shouldResumeAForkWithACallInFlightAndAWaitPending() throws Exception {
        assertThat(output(resume("fork.json", true)))
                .isEqualTo(JSON.readTree("[{\"charged\":true},{\"cooled\":true}]"));
    }

    @Test
    void shouldResumeAnExecutionWithACallInFlight() throws Exception {
        assertThat(output(resume("call.json", true))).isEqualTo(JSON.readTree("{\"paid\":true}"));
    }
}
