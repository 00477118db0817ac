package io.runstream.ingress.catalog;

import io.runstream.engine.Definition;
import io.runstream.engine.Definitions;
import io.runstream.engine.Schedule;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a workflow version's schedule and computes its next fire as the worker does: an active {@code every} or
 * {@code cron} schedule fires at its first slot after now. Each version's definition is parsed once and kept in a
 * bounded cache, since the catalog list shows up to a hundred workflows a page.
 */
public final class WorkflowSchedules {

    private final Clock clock;
    private final Definitions definitions;

    /** @param cachedDefinitions how many versions' parsed definitions are kept, least recently used first out */
    public WorkflowSchedules(Clock clock, int cachedDefinitions) {
        this.clock = clock;
        this.definitions = new Definitions(cachedDefinitions);
    }

    /** The version's schedule, if it has one the worker can read; its next fire only while the workflow is active. */
    public Optional<WorkflowSchedule> of(WorkflowVersion version) {
        Optional<Schedule> schedule = read(version);
        if (schedule.isEmpty()) {
            return Optional.empty();
        }
        Schedule s = schedule.get();
        Instant next = version.active() && s instanceof Schedule.Clocked clocked ? nextFire(clocked) : null;
        return Optional.of(new WorkflowSchedule(s.kind(), s.text(), next));
    }

    private Instant nextFire(Schedule.Clocked schedule) {
        Instant next = schedule.slotAfter(clock.instant());
        return next.equals(Instant.MAX) ? null : next;
    }

    /** A version's definition never changes, so it is kept under the version's name rather than its text. */
    private Optional<Schedule> read(WorkflowVersion version) {
        String key = version.tenant() + '\u0000' + version.workflowId() + '\u0000' + version.version();
        try {
            Definition definition;
            synchronized (definitions) {
                definition = definitions.get(key, version::definition);
            }
            return definition.schedule();
        } catch (RuntimeException e) {
            // stored before schedules were checked and unreadable: the worker does not fire it either
            return Optional.empty();
        }
    }
}
