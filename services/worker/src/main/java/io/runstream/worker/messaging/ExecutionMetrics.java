package io.runstream.worker.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.ExecutionStatus;
import io.runstream.engine.TaskStep;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the processor measures, as the executions go through it: executions ended by status, how long each took from
 * accepted to terminal, how long each task step took by task type, and how late due timers fire.
 */
public final class ExecutionMetrics {

    private final MeterRegistry registry;
    private final Map<ExecutionStatus, Counter> finished = new EnumMap<>(ExecutionStatus.class);
    private final Map<ExecutionStatus, Timer> durations = new EnumMap<>(ExecutionStatus.class);
    private final Map<String, Timer> steps = new ConcurrentHashMap<>();
    private final Timer timerLag;
    private final Map<String, Counter> scheduled = new ConcurrentHashMap<>();
    private final Counter chainsTooLong;

    public ExecutionMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ExecutionStatus status : ExecutionStatus.values()) {
            if (status.isTerminal()) {
                finished.put(status, Counter.builder("runstream.executions.finished").tag("status", status.name())
                        .description("Executions that ended, by terminal status").register(registry));
                durations.put(status, Timer.builder("runstream.execution.duration").tag("status", status.name())
                        .description("From accepted (requestedAt) to the terminal status").register(registry));
            }
        }
        this.chainsTooLong = Counter.builder("runstream.events.chain.refused")
                .description("Emits refused because their event would be past runstream.worker.events.max-hops")
                .register(registry);
        this.timerLag = Timer.builder("runstream.timer.lag")
                .description("How late a durable timer fired after its due time").register(registry);
    }

    /** A run a schedule or an event started ({@code trigger}), or that its tenant's start quota refused. */
    void scheduledStart(String trigger, boolean started) {
        String outcome = started ? "started" : "refused";
        scheduled.computeIfAbsent(trigger + "/" + outcome, key -> Counter.builder("runstream.schedule.starts")
                .tag("trigger", trigger).tag("outcome", outcome)
                .description("Runs started by schedules, events and subflows, and those refused by the tenant's "
                        + "start quota")
                .register(registry)).increment();
    }

    /** For tests that do not look at metrics. */
    static ExecutionMetrics none() {
        return new ExecutionMetrics(new SimpleMeterRegistry());
    }

    void finished(Execution execution, Instant at) {
        finished.get(execution.status()).increment();
        durations.get(execution.status()).record(nonNegative(Duration.between(execution.requestedAt(), at)));
    }

    void step(TaskStep step) {
        if (step.error() != null && step.error().isChainTooLong()) {
            chainsTooLong.increment();
        }
        String type = step.type() == null ? "unknown" : step.type();
        steps.computeIfAbsent(type + "/" + step.status(), key -> Timer.builder("runstream.task.duration")
                .tag("type", type).tag("status", step.status().name())
                .description("How long a task step took, from its start to its end").register(registry))
                .record(nonNegative(Duration.between(step.startedAt(), step.endedAt())));
    }

    void timerFired(long dueAt, long now) {
        timerLag.record(Duration.ofMillis(Math.max(0, now - dueAt)));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
