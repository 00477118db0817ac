package io.runstream.worker.domain;

import java.time.Instant;

/**
 * A workflow's schedule as its scheduler keeps it between checks.
 *
 * @param version the workflow version the schedule was last read from
 * @param schedule its kind and text ({@code every:PT10S}); a new version with the same one keeps this state
 * @param nextFireAt the next fire; null while an {@code after} run is going
 * @param running for {@code after}: the run going, whose end sets the next fire
 * @param lastFireAt the slot of the last fire, if any
 * @param pending for {@code on} with {@code all}: the events gathered so far ({@link EventGroups} JSON), or null
 */
public record ScheduleSlot(int version, String schedule, Instant nextFireAt, String running, Instant lastFireAt,
        String pending) {

    /** The same state with other gathered events. */
    public ScheduleSlot withPending(String gathered) {
        return new ScheduleSlot(version, schedule, nextFireAt, running, lastFireAt, gathered);
    }
}
