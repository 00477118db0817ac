package io.runstream.ingress.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runstream.ingress.catalog.WorkflowSchedule;
import io.runstream.ingress.catalog.WorkflowVersion;
import java.time.Instant;
import java.util.Optional;

/**
 * A workflow as the catalog API shows it: its latest version, activation and definition text, and its schedule
 * (absent when it has none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WorkflowResponse(String workflowId, int version, boolean active, String format, String definition,
        Instant updatedAt, ScheduleResponse schedule) {

    static WorkflowResponse of(WorkflowVersion v, Optional<WorkflowSchedule> schedule) {
        return new WorkflowResponse(v.workflowId(), v.version(), v.active(), v.format().name(), v.definition(),
                v.updatedAt(), schedule.map(ScheduleResponse::of).orElse(null));
    }

    /** When the workflow starts by itself; {@code nextFireAt} is always there, null when no time can be given. */
    record ScheduleResponse(String kind, String expression, Instant nextFireAt) {

        static ScheduleResponse of(WorkflowSchedule s) {
            return new ScheduleResponse(s.kind(), s.expression(), s.nextFireAt());
        }
    }
}
