package io.runstream.worker.messaging;

import io.runstream.api.tracing.RecordTraces;
import io.runstream.schemas.ExecutionCommandDecided;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStopRequested;
import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.ExecutionContinued;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.settings.WorkerProperties;
import io.runstream.worker.domain.Decision;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionCommand;
import io.runstream.worker.domain.ExecutionError;
import io.runstream.worker.domain.ExecutionRequest;
import io.runstream.worker.domain.ExecutionStateMachine;
import io.runstream.worker.domain.ExecutionStatus;
import io.runstream.engine.Definition;
import io.runstream.engine.Definitions;
import io.runstream.engine.Limits;
import io.runstream.engine.Machine;
import java.time.Instant;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Single writer of each execution's state and progress. Start and stop commands, activity results and
 * continuations arrive keyed by execution id; due timers are read from the timer index by a wall-clock punctuator.
 * Each input goes to the state machine, and what it decides is written in the same exactly-once transaction: the
 * state, the timer index, status and task events, and activity dispatches. A failure that belongs to one execution
 * ends that execution FAILED with a code; it never skips the record silently.
 */
final class ExecutionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ExecutionProcessor.class);

    private final ExecutionStateMachine machine;
    private final WorkerProperties properties;
    private final Definitions definitions = new Definitions(1_000);
    private final CrashMarks marks;
    private final ExecutionMetrics metrics;
    private CrashReports crashes;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ExecutionState> store;
    private KeyValueStore<String, WorkflowDefinition> workflows;
    private Effector effector;
    private TimerIndex timers;
    private DefinitionTexts texts;
    private FinishedExecutions finished;
    private RedrivableExecutions redrivable;
    private DecidedCommands decided;

    ExecutionProcessor(WorkerProperties properties, CrashMarks marks, ExecutionMetrics metrics) {
        this.properties = properties;
        this.marks = marks;
        this.metrics = metrics;
        WorkerProperties.Limits limits = properties.limits();
        this.machine = new ExecutionStateMachine(new Machine(new Limits(limits.stepBudget(), limits.maxSteps(),
                properties.activities().lease(), properties.activities().maxDispatches())),
                properties.redriveWindow());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(ExecutionTopology.STORE);
        this.workflows = context.getStateStore(ExecutionTopology.WORKFLOWS);
        this.crashes = new CrashReports(context.getStateStore(ExecutionTopology.CRASHES));
        KeyValueStore<Bytes, byte[]> timerStore = context.getStateStore(ExecutionTopology.TIMERS);
        this.timers = new TimerIndex(timerStore);
        this.texts = new DefinitionTexts(context.getStateStore(ExecutionTopology.DEFINITIONS));
        this.finished = new FinishedExecutions(context.getStateStore(ExecutionTopology.FINISHED),
                properties.retention());
        this.redrivable = new RedrivableExecutions(context.getStateStore(ExecutionTopology.REDRIVABLE),
                properties.redriveWindow());
        this.decided = new DecidedCommands(context.getStateStore(ExecutionTopology.DECIDED), properties.retention());
        this.effector = new Effector(context, store, timers, finished, redrivable, decided, machine, properties,
                metrics);
        context.schedule(properties.timers().checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::fireTimers);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        String key = requireKeyedBy(record.key(), value);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String traceparent = RecordTraces.traceparent(record.headers());
        if (value instanceof ExecutionCommandRequested requested) {
            ExecutionCommand command = AvroMapper.toDomain(requested);
            ExecutionCommandDecided earlier = decided.find(key, command.commandId(), now.toEpochMilli());
            if (earlier != null) {
                context.forward(new Record<>(key, again(earlier, requested, now), now.toEpochMilli(),
                        Effector.traceHeaders(traceparent)));
                return;
            }
            if (command.kind() == ExecutionCommand.Kind.REDRIVE) {
                handle(key, now, traceparent, null, command, current -> redrive(key, current, command, now));
                return;
            }
            handle(key, now, traceparent, null, command, current -> machine.onCommand(current, definition(current),
                    command, current == null ? finishedAs(key, command.tenant(), now) : null, now));
            return;
        }
        ExecutionRequest request = value instanceof ExecutionRequested r ? AvroMapper.toDomain(r) : null;
        handle(key, now, traceparent, request, null, current -> decide(value, current, now));
    }

    /**
     * Runs one input of one execution so that a failure attributable to it (in the engine, or in mapping and
     * encoding what it holds) ends that execution FAILED with ENGINE_ERROR, decided from its stored state, and never
     * drops the input or stops the others. A new execution that fails so is recorded as rejected. The input is
     * marked as in flight while it runs, and one of an execution quarantined for crashing instances is not run. A
     * command always gets an outcome, also when the execution ends in one of those ways instead.
     *
     * @param traceparent the input's trace, which a new (or reopened) execution takes on; null for a timer
     */
    private void handle(String key, Instant now, String traceparent, ExecutionRequest request,
            ExecutionCommand command, Function<Execution, Decision> decide) {
        // every line logged about this input names its execution and tenant
        MDC.put("executionId", key);
        String tenant = request != null ? request.tenant() : command != null ? command.tenant() : null;
        if (tenant != null) {
            MDC.put("tenant", tenant);
        }
        try {
            decideAndApply(key, now, traceparent, request, command, decide);
        } finally {
            MDC.remove("executionId");
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
    }

    private void decideAndApply(String key, Instant now, String incomingTrace, ExecutionRequest request,
            ExecutionCommand command, Function<Execution, Decision> decide) {
        ExecutionState state = store.get(key);
        Execution current = AvroMapper.toDomain(state);
        if (current != null) {
            MDC.put("tenant", current.tenant());
        }
        // a live execution stays in the trace it started in; a new or redriven one joins its request's
        String trace = state != null && state.getTraceparent() != null ? state.getTraceparent() : incomingTrace;
        String traceId = traceId(trace);
        if (traceId != null) {
            MDC.put("traceId", traceId);
        }
        // kept for redrive longer than the finished executions' retention: still finished
        if (current == null && command == null && (finished.contains(key, now.toEpochMilli())
                || redrivable.find(key, now.toEpochMilli()) != null)) {
            return;
        }
        int crashed = crashes.count(key);
        boolean reopening = command != null && command.kind() == ExecutionCommand.Kind.REDRIVE;
        if (crashed >= properties.limits().quarantineAfterCrashes()
                && (current != null || request != null || reopening)) {
            ExecutionError error = new ExecutionError("QUARANTINED", "A worker instance stopped " + crashed
                    + " times while it processed this execution, so it is no longer run (see the workers' logs for"
                    + " what stopped them)");
            Decision decision = fail(current, request, command, error, now);
            if (decision.changesState()) {
                log.error("Execution {} is quarantined: {}", key, error.message());
            }
            effector.apply(key, current != null, decision, now, trace);
            return;
        }
        marks.mark(key);
        try {
            effector.apply(key, current != null, decide.apply(current), now, trace);
        } catch (RuntimeException | StackOverflowError e) {
            log.error("Execution {} failed in the engine", key, e);
            Execution stored = AvroMapper.toDomain(store.get(key));
            ExecutionError error = new ExecutionError("ENGINE_ERROR", "The engine failed on this execution: " + e);
            effector.apply(key, stored != null, fail(stored, request, command, error, now), now, trace);
        }
        marks.clear();
    }

    /**
     * A command sent again with an id already decided for this execution: the same command gets the outcome it got,
     * and is not decided twice; another command under that id is refused.
     */
    private static ExecutionCommandDecided again(ExecutionCommandDecided earlier, ExecutionCommandRequested requested,
            Instant now) {
        if (earlier.getTenant().equals(requested.getTenant()) && earlier.getCommand() == requested.getCommand()) {
            return earlier;
        }
        if (!earlier.getTenant().equals(requested.getTenant())) {
            // another tenant's command: its execution is not this tenant's to know about
            return ExecutionCommandDecided.newBuilder(earlier).setTenant(requested.getTenant())
                    .setCommand(requested.getCommand()).setAccepted(false).setCode("EXECUTION_NOT_FOUND")
                    .setMessage("No execution " + requested.getExecutionId() + " is known to the worker for this"
                            + " tenant").setStatus(null).setSequence(null).setRedriveCount(0).setDecidedAt(now)
                    .build();
        }
        return ExecutionCommandDecided.newBuilder(earlier).setTenant(requested.getTenant())
                .setCommand(requested.getCommand()).setAccepted(false).setCode("COMMAND_ID_REUSED")
                .setMessage("Command id " + requested.getCommandId() + " was already used for another command of"
                        + " execution " + requested.getExecutionId() + "; send a new id for a new command")
                .setStatus(null).setSequence(null).setRedriveCount(0).setDecidedAt(now).build();
    }

    /**
     * The terminal status of an execution that is no longer live, for this tenant: from the finished executions,
     * or from those kept for redrive, which are kept longer. Null if neither knows it.
     */
    private ExecutionStatus finishedAs(String key, String tenant, Instant now) {
        ExecutionStatus status = finished.status(key, tenant, now.toEpochMilli());
        if (status != null) {
            return status;
        }
        Execution failed = redrivable.find(key, now.toEpochMilli());
        return failed != null && failed.tenant().equals(tenant) ? failed.status() : null;
    }

    /** A live execution cannot be redriven; one that failed is looked up among those kept for redrive. */
    private Decision redrive(String key, Execution current, ExecutionCommand command, Instant now) {
        Execution failed = current == null ? redrivable.find(key, now.toEpochMilli()) : null;
        ExecutionStatus finishedAs = current == null && failed == null
                ? finishedAs(key, command.tenant(), now) : null;
        Definition definition = failed == null ? null
                : definitions.get(failed.definition(), () -> texts.text(failed.definition()));
        return machine.onRedrive(current, failed, definition, command, finishedAs, now);
    }

    /**
     * Ends the execution (or records a new one as rejected) with the error; a command it came with is refused. An
     * engine fault may be redriven (from before the input it failed on), after a fix; a quarantine may not.
     */
    private Decision fail(Execution current, ExecutionRequest request, ExecutionCommand command,
            ExecutionError error, Instant now) {
        Decision decision = current == null && request != null ? machine.onRejected(null, request, error, now)
                : machine.onFault(current, error, now, "ENGINE_ERROR".equals(error.code()));
        return command == null ? decision : machine.refuse(decision, command, error, now);
    }

    /** Timers due now, in batches, until none is left or a check interval's worth of time is spent. */
    private void fireTimers(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        long until = System.nanoTime() + properties.timers().checkInterval().toNanos();
        int batch = properties.timers().batchSize();
        int fired;
        do {
            var due = timers.takeDue(nowMillis, batch);
            fired = due.size();
            for (TimerIndex.Due timer : due) {
                metrics.timerFired(timer.dueAt(), nowMillis);
                handle(timer.executionId(), now, null, null, null,
                        current -> machine.onTimer(current, definition(current), timer.seq(), now));
            }
        } while (fired == batch && System.nanoTime() < until);
    }

    private Decision decide(SpecificRecord value, Execution current, Instant now) {
        if (value instanceof ExecutionRequested requested) {
            return onRequested(current, AvroMapper.toDomain(requested), now);
        }
        if (value instanceof ActivityReported reported) {
            return machine.onActivityReported(current, definition(current), AvroMapper.toDomain(reported), now);
        }
        if (value instanceof ExecutionStopRequested stop) {
            return machine.onStopRequested(current, current == null || current.progress() == null ? null
                    : definition(current), AvroMapper.toDomain(stop), now);
        }
        if (value instanceof ExecutionContinued continued) {
            return machine.onContinued(current, definition(current), continued.getTransitions(), now);
        }
        throw new IllegalArgumentException("Unexpected record type " + value.getClass().getName());
    }

    /** A request without a definition runs the current version of its workflow from the catalog, if it may. */
    private Decision onRequested(Execution current, ExecutionRequest request, Instant now) {
        if (current != null) {
            return machine.onRequested(current, request, null, now);
        }
        ExecutionRequest pinned = request;
        if (request.definition() == null) {
            WorkflowDefinition workflow = workflows.get(request.tenant() + "/" + request.workflowId());
            if (workflow == null) {
                return machine.onRejected(null, request, new ExecutionError("WORKFLOW_NOT_FOUND", "Workflow '"
                        + request.workflowId() + "' is not defined for tenant '" + request.tenant() + "'"), now);
            }
            if (!workflow.getActive()) {
                return machine.onRejected(null, request, new ExecutionError("WORKFLOW_INACTIVE", "Workflow '"
                        + request.workflowId() + "' is deactivated; activate it to start executions"), now);
            }
            pinned = request.withDefinition(workflow.getVersion(), workflow.getDefinition());
        }
        Definition definition;
        try {
            definition = definitions.get(pinned.definition());
        } catch (Definitions.InvalidDefinitionException e) {
            return machine.onRejected(null, pinned, new ExecutionError("WORKFLOW_DEFINITION_INVALID",
                    e.getMessage()), now);
        }
        if (!definition.problems().isEmpty()) {
            // what the ingress refuses when a definition is stored; a producer writing to Kafka may still send it
            return machine.onRejected(null, pinned, new ExecutionError("WORKFLOW_DEFINITION_INVALID",
                    new Definitions.InvalidDefinitionException(definition.problems()).getMessage()), now);
        }
        // the state keeps a reference; the text is kept once, under its hash
        ExecutionRequest referenced = pinned.withDefinition(texts.remember(pinned.definition()));
        return machine.onRequested(null, referenced, definition, now);
    }

    private Definition definition(Execution execution) {
        if (execution == null || !execution.isLive()) {
            return null;
        }
        return definitions.get(execution.definition(), () -> texts.text(execution.definition()));
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}), or null if it is not one. */
    static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-' ? traceparent.substring(3, 35) : null;
    }

    /** Everything about one execution must stay on one partition, so a record keyed otherwise is rejected. */
    private static String requireKeyedBy(String key, SpecificRecord value) {
        String executionId = String.valueOf(value.get(value.getSchema().getField("executionId").pos()));
        if (!executionId.equals(key)) {
            throw new IllegalArgumentException("Record for execution " + executionId + " has key " + key
                    + "; records must be keyed by executionId");
        }
        return key;
    }
}
