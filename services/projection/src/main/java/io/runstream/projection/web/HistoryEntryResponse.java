package io.runstream.projection.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runstream.projection.domain.HistoryEntry;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One history entry: {@code type} STATUS (a status change, at {@code at}, with its phase: SUSPENDED when it paused) or TASK (a task step that ended, with its
 * name, position, task type, attempts, start and end times, and its input and output; when one was longer than the
 * worker's limit, {@code dataTruncated} is true and it is the start of its JSON text, as a string). Both carry
 * {@code redriveCount}, the redrive they belong to (0 before any), and {@code ordinal}, where they stand among
 * everything the execution published, the order history lists them in (absent for entries written before ordinals). A
 * TASK entry of a {@code listen} or an {@code emit} lists the {@code events} it consumed or emitted (absent when none),
 * and one of a {@code run: workflow} names the execution it started, {@code childExecutionId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HistoryEntryResponse(String type, Instant at, String status, String phase, int attempt, int redriveCount,
        ExecutionResponse.Error error,
        String taskName, String position, String taskType, Integer taskAttempts, Instant startedAt,
        Instant endedAt, JsonNode input, JsonNode output, Boolean dataTruncated, Long ordinal, List<Event> events,
        String childExecutionId) {

    /** An event a task consumed or emitted: CONSUMED, EMITTED or UNKNOWN, and its CloudEvent type, source and id. */
    record Event(String direction, String type, String source, String id) {
    }

    static HistoryEntryResponse of(HistoryEntry e, JsonMapper json) {
        return new HistoryEntryResponse(e.kind().name(), e.at(), e.status(), e.phase(), e.attempt(),
                e.redriveCount(), e.error() == null ? null : new ExecutionResponse.Error(e.error().code(), e.error().message()),
                e.taskName(), e.position(), e.taskType(), e.taskAttempts(), e.startedAt(), e.endedAt(),
                JsonData.parse(e.inputJson(), json), JsonData.parse(e.outputJson(), json), e.dataTruncated() ? true : null,
                e.ordinal() > 0 ? e.ordinal() : null, e.events().isEmpty() ? null : e.events().stream()
                        .map(t -> new Event(t.direction(), t.type(), t.source(), t.id())).toList(),
                e.childExecutionId() == null ? null : e.childExecutionId().toString());
    }
}
