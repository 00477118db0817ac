package io.runstream.worker.messaging;

import io.runstream.api.tracing.RecordTraces;
import io.runstream.engine.Limits;
import io.runstream.engine.Machine;
import io.runstream.engine.Timer;
import io.runstream.schemas.ExecutionCommandRequested;
import io.runstream.worker.domain.Admission;
import io.runstream.worker.domain.DueTimer;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionInputs;
import io.runstream.worker.domain.ExecutionStateMachine;
import io.runstream.worker.domain.ExecutionStore;
import io.runstream.worker.domain.WorkerInput;
import io.runstream.worker.settings.WorkerProperties;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single writer of each execution's state and progress. Start and stop commands, activity results and
 * continuations arrive keyed by execution id; due timers are read from the timer index by a wall-clock punctuator.
 * It only maps each record once to a {@link WorkerInput}, loads the execution, lets {@link ExecutionInputs} decide,
 * and writes the decision in the same exactly-once transaction (through the {@link Effector}). A failure that belongs
 * to one execution ends that execution FAILED with a code; it never skips the record silently.
 */
final class ExecutionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(ExecutionProcessor.class);

    private final WorkerProperties properties;
    private final CrashMarks marks;
    private final ExecutionMetrics metrics;
    private final SubflowIndex subflows;
    private final CommitPacer commits;
    private ProcessorContext<String, SpecificRecord> context;
    private ExecutionStore executions;
    private TimerIndex timers;
    private ExecutionInputs inputs;
    private Effector effector;
    private HeldCommands held;
    /** The punctuation for the next due timer or barrier. */
    private DueWake wake;
    /** After a stall, leases and timeouts wait while what came meanwhile is read. */
    private CatchUp catchUp;

    ExecutionProcessor(WorkerProperties properties, CrashMarks marks, ExecutionMetrics metrics,
            SubflowIndex subflows, CommitPacer commits) {
        this.properties = properties;
        this.marks = marks;
        this.metrics = metrics;
        this.subflows = subflows;
        this.commits = commits;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        ProcessorStores stores = new ProcessorStores(context, properties, subflows);
        WorkerProperties.Limits limits = properties.limits();
        // the machine finds subflows in the catalog, a store it has only from here
        ExecutionStateMachine machine = new ExecutionStateMachine(new Machine(new Limits(limits.stepBudget(),
                limits.maxSteps(), properties.activities().lease(), properties.activities().maxDispatches(),
                properties.events().signalHold(), 100, properties.events().buffer(), properties.events().maxHops(),
                limits.maxSubflowDepth()), io.runstream.worker.runner.SecretTokens.of(properties.secrets().keys()),
                stores.subflows()), properties.redriveWindow());
        this.executions = new StoredExecutions(stores.executions());
        this.timers = stores.timers();
        this.inputs = new ExecutionInputs(machine, stores.ports(), properties.limits().quarantineAfterCrashes(),
                properties.limits().maxProgressSize().toBytes());
        this.effector = new Effector(context, stores.executions(), timers, stores.finished(), stores.redrivable(),
                stores.decided(), properties, metrics, inputs::endIsAwaited, inputs::childEnd);
        this.held = new HeldCommands(context.getStateStore(ExecutionTopology.HELD));
        this.wake = new DueWake(context, properties.timers().checkInterval(), this::punctuate);
        this.catchUp = new CatchUp(properties.timers().catchUp());
        long now = context.currentSystemTimeMs();
        long firstDue = timers.nextDue();
        if (firstDue <= now) {
            // they came due while no worker ran this task: what came meanwhile is read first
            catchUp.start(now);
            log.info("Task {} starts with timers due since {}: leases and timeouts wait {} for what came meanwhile",
                    context.taskId(), Instant.ofEpochMilli(firstDue), catchUp.length());
        }
        rearm(now);
        // a safety net for timers that reached the store other than through this processor (written by hand while
        // it runs): those an older release left are found just above, when the task starts
        context.schedule(properties.timers().rescan(), PunctuationType.WALL_CLOCK_TIME, this::rearm);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        long barrier = record.value() == null ? HeldCommands.barrierOffset(record.headers()) : -1;
        if (barrier >= 0) {
            // every start sent before the commands this covers has been read: what is still held is unknown
            release(record.key(), barrier, now);
            return;
        }
        WorkerInput input = InputMapper.toInput(record.key(), record.value());
        String trace = RecordTraces.traceparent(record.headers());
        if (handle(input, now, trace) instanceof Admission.Hold) {
            held.hold((ExecutionCommandRequested) record.value(),
                    context.recordMetadata().map(m -> m.offset()).orElse(0L));
        }
        if (input instanceof WorkerInput.Start) {
            release(record.key(), Long.MAX_VALUE, now);
        }
        wake.armFor(timers.takeEarliestAdded());
        if (held.barriersDue()) {
            wake.armFor(now.toEpochMilli());
        }
        askCommit(context.currentSystemTimeMs() - record.timestamp());
    }

    /**
     * While the worker keeps up, or is only a little behind, the commit that makes what this wrote seen comes sooner
     * than the commit interval ({@link CommitPacer}).
     *
     * @param inputAgeMillis how long ago what was just decided was written: long ago means inputs wait to be read
     */
    private void askCommit(long inputAgeMillis) {
        if (commits.commitNow(inputAgeMillis)) {
            context.commit();
        }
    }

    /** Decides the commands held for an execution up to an offset, with every start before them read. */
    private void release(String executionId, long upToOffset, Instant now) {
        for (var command : held.release(executionId, upToOffset)) {
            handle(new WorkerInput.Command(AvroMapper.toDomain(command), true), now, null);
        }
    }

    /**
     * Runs one input of one execution so that a failure attributable to it (in the engine, or in mapping and
     * encoding what it holds) ends that execution FAILED with ENGINE_ERROR, decided from its stored state, and never
     * drops the input or stops the others. The input is marked as in flight while it runs.
     *
     * @param incomingTrace the input's trace, which a new (or reopened) execution takes on; null for a timer
     */
    private Admission handle(WorkerInput input, Instant now, String incomingTrace) {
        String key = input.executionId();
        try (InputLog logged = InputLog.of(input)) {
            ExecutionStore.Stored stored = executions.load(key);
            // a live execution stays in the trace it started in; a new or redriven one joins its request's
            String trace = stored.traceparent() != null ? stored.traceparent() : incomingTrace;
            logged.execution(stored.execution(), trace);
            Admission admission = inputs.admit(input, stored.execution(), now);
            if (admission instanceof Admission.Repeat repeat) {
                context.forward(new Record<>(key, AvroMapper.toAvro(repeat.outcome()), now.toEpochMilli(),
                        Effector.traceHeaders(incomingTrace)));
            } else if (admission instanceof Admission.Quarantine quarantine) {
                if (quarantine.decision().changesState()) {
                    log.error("Execution {} is quarantined: {}", key, quarantine.error().message());
                }
                effector.apply(key, stored.execution() != null, quarantine.decision(), now, trace);
            } else if (admission instanceof Admission.Run) {
                run(input, stored, now, trace);
            }
            return admission;
        }
    }

    private void run(WorkerInput input, ExecutionStore.Stored stored, Instant now, String trace) {
        String key = input.executionId();
        marks.mark(key);
        try {
            effector.apply(key, stored.execution() != null, inputs.decide(input, stored.execution(), now), now,
                    trace);
            inputs.staleListen(input, stored.execution()).ifPresent(listen -> effector.closeStaleListen(listen, now));
        } catch (RuntimeException | StackOverflowError e) {
            log.error("Execution {} failed in the engine", key, e);
            ExecutionStore.Stored after = executions.load(key);
            effector.apply(key, after.execution() != null, inputs.fault(input, after.execution(), e, now), now,
                    trace);
        }
        marks.clear();
    }

    /**
     * Due timers and barriers, on a punctuation scheduled only when one is due: Kafka Streams commits a transaction
     * after every wall-clock punctuation, so a fixed one every check interval cost an idle worker a commit each time.
     */
    private void punctuate(long nowMillis, long lateMillis) {
        if (catchUp.checkRan(nowMillis, lateMillis)) {
            log.info("Task {} checked its timers {} ms late: leases and timeouts wait {} for what came meanwhile",
                    context.taskId(), lateMillis, catchUp.length());
        }
        sendBarriers(nowMillis);
        fireTimers(nowMillis);
        rearm(nowMillis);
        askCommit(0);
    }

    /** Schedules the punctuation for the next due timer, and for barriers still to send. */
    private void rearm(long nowMillis) {
        wake.armFor(timers.nextDue());
        wake.armFor(timers.takeEarliestAdded());
        if (held.barriersDue()) {
            wake.armFor(nowMillis);
        }
    }

    /** A barrier through the commands topic for each execution with commands held since the last were sent. */
    private void sendBarriers(long nowMillis) {
        held.takeBarriers().forEach(barrier -> context.forward(new Record<>(barrier.getExecutionId(), barrier,
                nowMillis, HeldCommands.headers(barrier))));
    }

    /** Timers due now, in batches, until none is left or a check interval's worth of time is spent. */
    private void fireTimers(long nowMillis) {
        Instant now = Instant.ofEpochMilli(nowMillis);
        long until = System.nanoTime() + properties.timers().checkInterval().toNanos();
        int batch = properties.timers().batchSize();
        int fired;
        do {
            List<DueTimer> due = timers.takeDue(nowMillis, batch);
            fired = due.size();
            for (DueTimer timer : due) {
                if (!putOff(timer, nowMillis)) {
                    metrics.timerFired(timer.dueAt(), nowMillis);
                    handle(new WorkerInput.TimerDue(timer.executionId(), timer.seq()), now, null);
                }
            }
        } while (fired == batch && System.nanoTime() < until);
    }

    /**
     * During a catch-up, puts a lease or timeout off to its end (indexed again for then; its execution's progress
     * keeps the due time, so an earlier entry left over fires nothing). True if it did.
     */
    private boolean putOff(DueTimer due, long nowMillis) {
        if (!catchUp.running(nowMillis)) {
            return false;
        }
        Execution execution = executions.load(due.executionId()).execution();
        Timer timer = execution == null || execution.progress() == null ? null
                : execution.progress().timers().get(due.seq());
        if (timer == null) {
            return false;
        }
        long at = catchUp.firesAt(timer.kind(), nowMillis);
        if (at == nowMillis) {
            return false;
        }
        timers.add(due.executionId(), new Timer(timer.seq(), Instant.ofEpochMilli(at), timer.kind(), timer.fiber()));
        return true;
    }
}
