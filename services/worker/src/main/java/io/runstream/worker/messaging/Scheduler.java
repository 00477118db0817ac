package io.runstream.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.runstream.engine.Definitions;
import io.runstream.engine.EventTrigger;
import io.runstream.engine.Schedule;
import io.runstream.engine.Subscription;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionCommandType;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.StartRejection;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.CorrelationKind;
import io.runstream.schemas.internal.CorrelationRecord;
import io.runstream.schemas.internal.ScheduleRecord;
import io.runstream.schemas.internal.ScheduleRecordKind;
import io.runstream.schemas.internal.ScheduleState;
import io.runstream.worker.domain.EventGroups;
import io.runstream.worker.domain.ScheduleSlot;
import io.runstream.worker.domain.Scheduling;
import io.runstream.worker.domain.StartQuota;
import io.runstream.worker.settings.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the schedules of the workflows whose tenant falls on its partition of the schedules topic (keyed by tenant),
 * as the default partitioner places it, and counts the tenant's starts against its quota ({@link StartQuota}). It
 * reads the workflow catalog (the global store) every scan interval for schedules that appear, change or go
 * (deactivated, deleted), checks the ones it keeps when their next fire is due (at most once a check interval, and
 * not at all while none is due: see {@link DueWake}), and starts a due fire by writing its start request, in the
 * same exactly-once transaction as the state it keeps, so a crash decides the fire again with the same execution id.
 * Runs of {@code after} schedules report their end here,
 * and executions send here the subflows they start and stop, so their starts count against the tenant's quota too.
 * A schedule's {@code on} is a set of filters it opens in the correlation index; the events that meet them come back
 * here and start runs, each with an id from the events' source and id.
 */
final class Scheduler implements Processor<String, ScheduleRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final String ON = "on:";
    private static final int MAX_TRIGGERS_CACHED = 200;

    private final WorkerProperties properties;
    private final ExecutionMetrics metrics;
    private final StartQuota quota;
    private final Definitions definitions = new Definitions(200);
    /** The parsed filters of the on schedules it met, by key and read; past the bound the cache starts again. */
    private final Map<String, EventTrigger> triggers = new java.util.HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ScheduleState> schedules;
    private KeyValueStore<String, WorkflowDefinition> catalog;
    private int partition;
    /** The punctuation for the next due fire: none while no schedule it keeps is due to fire. */
    private DueWake due;

    Scheduler(WorkerProperties properties, ExecutionMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
        this.quota = new StartQuota(properties.schedules().maxStartsPerSecond());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.schedules = context.getStateStore(ExecutionTopology.SCHEDULES);
        this.catalog = context.getStateStore(ExecutionTopology.WORKFLOWS);
        this.partition = context.taskId().partition();
        this.due = new DueWake(context, properties.schedules().checkInterval(), (now, late) -> checkDue(now));
        // the first check, right after the task starts, fires what came due while no one kept it and arms the next
        due.armFor(context.currentSystemTimeMs());
        context.schedule(properties.schedules().catalogScan(), PunctuationType.WALL_CLOCK_TIME, this::scanCatalog);
    }

    @Override
    public void process(Record<String, ScheduleRecord> record) {
        ScheduleRecord value = record.value();
        if (value == null) {
            return;
        }
        switch (value.getKind()) {
            case RUN_ENDED -> runEnded(value);
            case EVENT -> event(value.getTenant() + "/" + value.getWorkflowId(), value);
            case START -> startSubflow(value.getRequest());
            case STOP -> stopSubflow(value);
            default -> {
                // written by a newer worker: nothing this one can do with it
            }
        }
    }

    /**
     * An event the correlation index found for one filter of the workflow's {@code on}: if the workflow still has
     * that schedule, is active, and the event meets the filter, it starts a run (with {@code all}, once each filter
     * has an event of the same correlation values).
     */
    private void event(String key, ScheduleRecord value) {
        ScheduleState stored = schedules.get(key);
        WorkflowDefinition workflow = catalog.get(key);
        Schedule schedule = workflow == null || !workflow.getActive() ? null : schedule(workflow);
        if (stored == null || !(schedule instanceof Schedule.On on) || !stored.getSchedule().equals(on.key())) {
            return;
        }
        EventTrigger trigger = trigger(on);
        JsonNode event = ProgressMapper.read(value.getEventJson());
        Map<String, JsonNode> values = trigger.meets(value.getFilter(), event);
        if (values == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        List<JsonNode> events = List.of(event);
        if (trigger.needsAll()) {
            EventGroups groups = EventGroups.parse(stored.getPendingJson());
            events = groups.add(new java.util.TreeMap<>(values).toString(), value.getFilter(), trigger.filters(), event,
                    now, properties.events().buffer());
            stored.setPendingJson(groups.json());
            keep(key, stored);
        }
        if (!events.isEmpty()) {
            String executionId = Scheduling.eventRunId(workflow.getTenant(), workflow.getWorkflowId(), events.stream()
                    .map(e -> new Scheduling.EventKey(e.path("source").asText(), e.path("id").asText())).toList());
            JsonNode first = events.get(0);
            int hops = events.stream().mapToInt(Subscription::hopsOf).max().orElse(0);
            start(workflow, executionId, trigger.input(events).toString(), "event:" + executionId, now,
                    Map.of("trigger", "event", "eventType", first.path("type").asText(), "eventSource",
                            first.path("source").asText(), "eventId", first.path("id").asText()), hops);
        }
    }

    private void runEnded(ScheduleRecord value) {
        String key = value.getTenant() + "/" + value.getWorkflowId();
        ScheduleSlot current = slot(schedules.get(key));
        ScheduleSlot next = Scheduling.runEnded(current, value.getExecutionId(), value.getAt());
        if (next != current) {
            keep(key, state(next));
        }
    }

    /**
     * Fires the kept schedules that are due, each checked against the catalog as it is now, and arms the next check
     * for the earliest fire still to come (a schedule kept again arms it for its own).
     */
    private void checkDue(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        java.util.List<String> firing = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ScheduleState> all = schedules.all()) {
            while (all.hasNext()) {
                KeyValue<String, ScheduleState> kept = all.next();
                Instant next = kept.value.getNextFireAt();
                if (next != null && !next.isAfter(now)) {
                    firing.add(kept.key);
                } else {
                    armFor(kept.value);
                }
            }
        }
        firing.forEach(key -> check(key, catalog.get(key), now));
    }

    /** Keeps a schedule's state, and makes sure a check comes when its next fire is due. */
    private void keep(String key, ScheduleState state) {
        schedules.put(key, state);
        armFor(state);
    }

    private void armFor(ScheduleState state) {
        if (state.getNextFireAt() != null) {
            due.armFor(state.getNextFireAt().toEpochMilli());
        }
    }

    /** Takes up the schedules of its workflows that it does not keep yet, and drops those that went. */
    private void scanCatalog(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        Set<String> scheduled = new HashSet<>();
        try (KeyValueIterator<String, WorkflowDefinition> all = catalog.all()) {
            while (all.hasNext()) {
                KeyValue<String, WorkflowDefinition> workflow = all.next();
                if (owns(workflow.key) && workflow.value != null
                        && workflow.value.getDefinition().contains("schedule")) {
                    scheduled.add(workflow.key);
                    check(workflow.key, workflow.value, now);
                }
            }
        }
        java.util.List<String> gone = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ScheduleState> all = schedules.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (!scheduled.contains(key)) {
                    gone.add(key);
                }
            }
        }
        gone.forEach(key -> check(key, catalog.get(key), now));
    }

    private void check(String key, WorkflowDefinition workflow, Instant now) {
        ScheduleState stored = schedules.get(key);
        Schedule schedule = workflow == null || !workflow.getActive() ? null : schedule(workflow);
        int version = workflow == null ? 0 : workflow.getVersion();
        String tenant = workflow == null ? key.substring(0, key.lastIndexOf('/')) : workflow.getTenant();
        String workflowId = workflow == null ? key.substring(key.lastIndexOf('/') + 1) : workflow.getWorkflowId();
        Scheduling.Plan plan = Scheduling.check(tenant, workflowId, slot(stored), schedule, version, now);
        String before = stored == null ? null : stored.getSchedule();
        String after = plan.next() == null ? null : plan.next().schedule();
        if (before != null && !before.equals(after)) {
            triggers(tenant, key, before, CorrelationKind.CLOSE, now);
        }
        if (after != null && !after.equals(before)) {
            triggers(tenant, key, after, CorrelationKind.OPEN, now);
        }
        if (plan.next() == null) {
            if (stored != null) {
                schedules.delete(key);
                log.info("Workflow {} of tenant {} no longer has a schedule", workflowId, tenant);
            }
        } else {
            ScheduleState next = state(plan.next());
            if (!next.equals(stored)) {
                schedules.put(key, next);
            }
            // unchanged too: one still due is checked again next interval
            armFor(next);
        }
        if (plan.fire() != null) {
            Scheduling.Fire fire = plan.fire();
            start(workflow, fire.executionId(), "{}", "schedule:" + fire.slot(), now,
                    Map.of("trigger", "schedule", "scheduledFor", fire.slot().toString()), 0);
        }
    }

    /**
     * Starts a run of the workflow's version as it is now; past its tenant's quota, the run is recorded FAILED
     * with START_QUOTA_EXCEEDED instead, where its runs show.
     */
    private void start(WorkflowDefinition workflow, String executionId, String input, String key, Instant now,
            Map<String, String> metadata, int hops) {
        boolean allowed = quota.take(workflow.getTenant(), now);
        metrics.scheduledStart(metadata.get("trigger"), allowed);
        StartRejection rejection = null;
        if (!allowed) {
            rejection = quotaExceeded(workflow.getTenant(), workflow.getWorkflowId());
            log.warn("Tenant {} is over its start quota: run {} of workflow {} ({}) is recorded FAILED, not started",
                    workflow.getTenant(), executionId, workflow.getWorkflowId(), metadata.get("trigger"));
        }
        context.forward(new Record<>(executionId, ExecutionRequested.newBuilder().setExecutionId(executionId)
                .setTenant(workflow.getTenant()).setWorkflowId(workflow.getWorkflowId())
                .setWorkflowVersion(workflow.getVersion()).setDefinition(workflow.getDefinition())
                .setIdempotencyKey(key).setInputJson(input).setRequestedAt(now).setMetadata(metadata).setHops(hops)
                .setRejection(rejection).build(), now.toEpochMilli()));
    }

    /**
     * Starts a subflow an execution asked for, as it asked (the version it runs was fixed then); past its tenant's
     * quota it is recorded FAILED with START_QUOTA_EXCEEDED instead, and its parent is told so.
     */
    private void startSubflow(ExecutionRequested request) {
        if (request == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        boolean allowed = quota.take(request.getTenant(), now);
        metrics.scheduledStart("subflow", allowed);
        if (!allowed) {
            request.setRejection(quotaExceeded(request.getTenant(), request.getWorkflowId()));
            log.warn("Tenant {} is over its start quota: subflow {} of workflow {} (started by {}) is recorded FAILED, "
                    + "not started", request.getTenant(), request.getExecutionId(), request.getWorkflowId(),
                    request.getParentExecutionId());
        }
        context.forward(new Record<>(request.getExecutionId(), request, now.toEpochMilli()));
    }

    /**
     * Stops a subflow its parent no longer waits on, with a stop command on the control topic, as a caller would: it
     * follows the subflow's start through this scheduler, so it reaches the subflow after it.
     */
    private void stopSubflow(ScheduleRecord value) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String child = value.getExecutionId();
        String commandId = java.util.UUID.nameUUIDFromBytes(("subflow-stop:" + child)
                .getBytes(StandardCharsets.UTF_8)).toString();
        context.forward(new Record<>(child, ExecutionCommandRequested.newBuilder().setCommandId(commandId)
                .setExecutionId(child).setTenant(value.getTenant()).setCommand(ExecutionCommandType.STOP)
                .setReason(value.getReason()).setExpectedAttempt(null).setRequestedAt(now).build(),
                now.toEpochMilli()));
    }

    private StartRejection quotaExceeded(String tenant, String workflowId) {
        return new StartRejection("START_QUOTA_EXCEEDED", "Tenant '" + tenant + "' started more than "
                + quota.perSecond() + " runs a second by schedules, events and subflows "
                + "(runstream.worker.schedules.max-starts-per-second), so this run of workflow '" + workflowId
                + "' was not started");
    }

    /**
     * Opens or closes the filters of a schedule's {@code on} in the correlation index (nothing for other kinds). An
     * opened one takes the events that arrive from one catalog scan before now, when the schedule was at the latest
     * stored or activated.
     */
    private void triggers(String tenant, String key, String scheduleText, CorrelationKind kind, Instant now) {
        if (!scheduleText.startsWith(ON)) {
            return;
        }
        EventTrigger trigger = EventTrigger.of(new Schedule.On(ProgressMapper.read(scheduleText.substring(
                ON.length())), "data"));
        Instant openedAt = now.minus(properties.schedules().catalogScan());
        for (int filter : trigger.numbers()) {
            String indexKey = CorrelationKeys.triggerKey(tenant, key, trigger.exactType(filter), filter);
            context.forward(new Record<>(CorrelationKeys.routeOf(indexKey), new CorrelationRecord(kind, tenant, null,
                    openedAt, indexKey), now.toEpochMilli()));
        }
    }

    /** The on schedule's filters, parsed once per schedule rather than for every event. */
    private EventTrigger trigger(Schedule.On on) {
        if (triggers.size() >= MAX_TRIGGERS_CACHED) {
            triggers.clear();
        }
        return triggers.computeIfAbsent(on.key() + ":" + on.read(), key -> EventTrigger.of(on));
    }

    /** The schedule of a workflow version; none for one without, or one this version cannot read. */
    private Schedule schedule(WorkflowDefinition workflow) {
        try {
            Schedule schedule = definitions.get(workflow.getDefinition()).schedule().orElse(null);
            return schedule;
        } catch (RuntimeException e) {
            log.warn("The schedule of workflow {} of tenant {} (version {}) cannot be read, so it does not fire: {}",
                    workflow.getWorkflowId(), workflow.getTenant(), workflow.getVersion(), e.getMessage());
            return null;
        }
    }

    /**
     * Whether a workflow's tenant falls on this task's partition of the schedules topic: one task owns all of a
     * tenant's schedules, so it alone counts the tenant's starts against its quota.
     */
    private boolean owns(String key) {
        String tenant = key.substring(0, key.lastIndexOf('/'));
        return Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % properties.partitions()
                == partition;
    }

    private static ScheduleSlot slot(ScheduleState state) {
        return state == null ? null : new ScheduleSlot(state.getVersion(), state.getSchedule(), state.getNextFireAt(),
                state.getRunning(), state.getLastFireAt(), state.getPendingJson());
    }

    private static ScheduleState state(ScheduleSlot slot) {
        return new ScheduleState(slot.version(), slot.schedule(), slot.nextFireAt(), slot.running(),
                slot.lastFireAt(), slot.pending());
    }
}
