package io.runstream.worker.domain;

import io.runstream.engine.Schedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Decides when a workflow's schedule fires. Clocked schedules ({@code every}, {@code cron}) fire at slots every
 * instance computes alike; one whose slots passed while no worker checked fires once, for the last of them. An
 * {@code after} schedule fires its delay after the run it started last ended. A fire's execution id derives from the
 * tenant, the workflow id and the slot, not the version, so however often a slot is decided (a crash before the
 * decision was committed, a second owner during a rebalance, a new version taking over) it starts one execution.
 */
public final class Scheduling {

    private static final String AFTER = "after";

    private Scheduling() {
    }

    /** What a check decides: the state to keep (null: forget the schedule) and the fire, if one is due. */
    public record Plan(ScheduleSlot next, Fire fire) {
    }

    /** What identifies an event: its {@code source} and {@code id}. */
    public record EventKey(String source, String id) {
    }

    /** One fire: the execution it starts and the slot it is for. */
    public record Fire(String executionId, Instant slot) {
    }

    /**
     * Checks one workflow's schedule.
     *
     * @param schedule its schedule, or null when it has none or is deactivated
     * @param version the workflow version it was read from
     */
    public static Plan check(String tenant, String workflowId, ScheduleSlot current, Schedule schedule, int version,
            Instant now) {
        if (schedule == null) {
            return new Plan(null, null);
        }
        String text = schedule.key();
        if (current == null || !current.schedule().equals(text)) {
            return new Plan(new ScheduleSlot(version, text, firstFire(schedule, now), null, null, null), null);
        }
        if (current.nextFireAt() == null || current.nextFireAt().isAfter(now)) {
            return new Plan(current.version() == version ? current : new ScheduleSlot(version, text,
                    current.nextFireAt(), current.running(), current.lastFireAt(), current.pending()), null);
        }
        if (schedule instanceof Schedule.Clocked clocked) {
            Instant slot = clocked.slotAtOrBefore(now);
            Fire fire = new Fire(executionId(tenant, workflowId, slot), slot);
            return new Plan(new ScheduleSlot(version, text, clocked.slotAfter(now), null, slot, null), fire);
        }
        Instant slot = current.nextFireAt();
        Fire fire = new Fire(executionId(tenant, workflowId, slot), slot);
        return new Plan(new ScheduleSlot(version, text, null, fire.executionId(), slot, null), fire);
    }

    /** A run ended: if it is the {@code after} run the schedule waits for, the next fire is its delay later. */
    public static ScheduleSlot runEnded(ScheduleSlot current, String executionId, Instant at) {
        if (current == null || !executionId.equals(current.running())
                || !current.schedule().startsWith(AFTER + ":")) {
            return current;
        }
        Duration delay = Duration.parse(current.schedule().substring(AFTER.length() + 1));
        return new ScheduleSlot(current.version(), current.schedule(), at.plus(delay), null, current.lastFireAt(),
                null);
    }

    /** The execution a fire of this workflow at this slot starts, whatever the version and whoever decides it. */
    public static String executionId(String tenant, String workflowId, Instant slot) {
        String name = tenant + '\u0000' + workflowId + '\u0000' + "schedule" + '\u0000' + slot.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The execution the events that met a {@code schedule.on} start: from the tenant, the workflow id and each
     * event's source and id, so a duplicate event starts nothing new and one event can start two workflows.
     */
    public static String eventRunId(String tenant, String workflowId, java.util.List<EventKey> events) {
        StringBuilder name = new StringBuilder(tenant).append('\u0000').append(workflowId).append('\u0000')
                .append("on");
        for (EventKey event : events) {
            name.append('\u0000').append(event.source()).append('\u0001').append(event.id());
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** When a schedule taken up now fires first: its next slot, or its delay from now. */
    private static Instant firstFire(Schedule schedule, Instant now) {
        if (schedule instanceof Schedule.Clocked clocked) {
            return clocked.slotAfter(now);
        }
        if (schedule instanceof Schedule.After after) {
            return now.plus(after.delay());
        }
        return null;
    }
}
