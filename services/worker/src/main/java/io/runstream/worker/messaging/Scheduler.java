package io.runstream.worker.messaging;

import io.runstream.engine.Definitions;
import io.runstream.engine.Schedule;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ScheduleRecord;
import io.runstream.schemas.internal.ScheduleRecordKind;
import io.runstream.schemas.internal.ScheduleState;
import io.runstream.worker.domain.ScheduleSlot;
import io.runstream.worker.domain.Scheduling;
import io.runstream.worker.settings.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * Owns the schedules of the workflows whose key ({@code tenant/workflowId}) falls on its partition of the schedules
 * topic, as the default partitioner places it. It reads the workflow catalog (the global store) every scan interval
 * for schedules that appear, change or go (deactivated, deleted), checks the ones it keeps every check interval, and
 * starts a due fire by writing its start request, in the same exactly-once transaction as the state it keeps, so a
 * crash decides the fire again with the same execution id. Runs of {@code after} schedules report their end here.
 */
final class Scheduler implements Processor<String, ScheduleRecord, String, ExecutionRequested> {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final WorkerProperties properties;
    private final Definitions definitions = new Definitions(200);
    private ProcessorContext<String, ExecutionRequested> context;
    private KeyValueStore<String, ScheduleState> schedules;
    private KeyValueStore<String, WorkflowDefinition> catalog;
    private int partition;

    Scheduler(WorkerProperties properties) {
        this.properties = properties;
    }

    @Override
    public void init(ProcessorContext<String, ExecutionRequested> context) {
        this.context = context;
        this.schedules = context.getStateStore(ExecutionTopology.SCHEDULES);
        this.catalog = context.getStateStore(ExecutionTopology.WORKFLOWS);
        this.partition = context.taskId().partition();
        context.schedule(properties.schedules().checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkDue);
        context.schedule(properties.schedules().catalogScan(), PunctuationType.WALL_CLOCK_TIME, this::scanCatalog);
    }

    @Override
    public void process(Record<String, ScheduleRecord> record) {
        ScheduleRecord value = record.value();
        if (value == null || value.getKind() != ScheduleRecordKind.RUN_ENDED) {
            return;
        }
        String key = value.getTenant() + "/" + value.getWorkflowId();
        ScheduleSlot current = slot(schedules.get(key));
        ScheduleSlot next = Scheduling.runEnded(current, value.getExecutionId(), value.getAt());
        if (next != current) {
            schedules.put(key, state(next));
        }
    }

    /** Fires the kept schedules that are due, each checked against the catalog as it is now. */
    private void checkDue(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        java.util.List<String> due = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ScheduleState> all = schedules.all()) {
            while (all.hasNext()) {
                KeyValue<String, ScheduleState> kept = all.next();
                Instant next = kept.value.getNextFireAt();
                if (next != null && !next.isAfter(now)) {
                    due.add(kept.key);
                }
            }
        }
        due.forEach(key -> check(key, catalog.get(key), now));
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
        String tenant = workflow == null ? key.substring(0, key.indexOf('/')) : workflow.getTenant();
        String workflowId = workflow == null ? key.substring(key.indexOf('/') + 1) : workflow.getWorkflowId();
        Scheduling.Plan plan = Scheduling.check(tenant, workflowId, slot(stored), schedule, version, now);
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
        }
        if (plan.fire() != null) {
            Scheduling.Fire fire = plan.fire();
            context.forward(new Record<>(fire.executionId(), ExecutionRequested.newBuilder()
                    .setExecutionId(fire.executionId()).setTenant(tenant).setWorkflowId(workflowId)
                    .setWorkflowVersion(version).setDefinition(workflow.getDefinition())
                    .setIdempotencyKey("schedule:" + fire.slot()).setInputJson("{}").setRequestedAt(now)
                    .setMetadata(Map.of("trigger", "schedule", "scheduledFor", fire.slot().toString()))
                    .build(), now.toEpochMilli()));
        }
    }

    /** The clocked or after schedule of a workflow version; none for one without, or one this version cannot run. */
    private Schedule schedule(WorkflowDefinition workflow) {
        try {
            Schedule schedule = definitions.get(workflow.getDefinition()).schedule().orElse(null);
            return schedule instanceof Schedule.Clocked || schedule instanceof Schedule.After ? schedule : null;
        } catch (RuntimeException e) {
            log.warn("The schedule of workflow {} of tenant {} (version {}) cannot be read, so it does not fire: {}",
                    workflow.getWorkflowId(), workflow.getTenant(), workflow.getVersion(), e.getMessage());
            return null;
        }
    }

    /** Whether a workflow's key falls on this task's partition of the schedules topic. */
    private boolean owns(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % properties.partitions()
                == partition;
    }

    private static ScheduleSlot slot(ScheduleState state) {
        return state == null ? null : new ScheduleSlot(state.getVersion(), state.getSchedule(), state.getNextFireAt(),
                state.getRunning(), state.getLastFireAt());
    }

    private static ScheduleState state(ScheduleSlot slot) {
        return new ScheduleState(slot.version(), slot.schedule(), slot.nextFireAt(), slot.running(),
                slot.lastFireAt());
    }
}
