package io.runstream.worker.engine;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Tells the run's {@link TaskListener} how one task ended; listener failures never affect the run. */
final class StepReporter {

    private final Run run;
    private final String name;
    private final String position;
    private final String type;
    private final AtomicInteger attempts;
    private final Instant startedAt;

    StepReporter(Run run, String name, String position, String type, AtomicInteger attempts, Instant startedAt) {
        this.run = run;
        this.name = name;
        this.position = position;
        this.type = type;
        this.attempts = attempts;
        this.startedAt = startedAt;
    }

    void completed() {
        report(TaskStep.Status.COMPLETED, null);
    }

    void skipped() {
        report(TaskStep.Status.SKIPPED, null);
    }

    void cancelled() {
        report(TaskStep.Status.CANCELLED, null);
    }

    void faulted(Throwable failure) {
        report(TaskStep.Status.FAULTED, WorkflowError.of(failure, position));
    }

    private void report(TaskStep.Status status, WorkflowError error) {
        try {
            run.listener().onTaskEnded(new TaskStep(run.nextStep(), name, position, type, status, attempts.get(),
                    startedAt, run.clock().instant(), error));
        } catch (RuntimeException ignored) {
            // History is best effort; the run's own outcome is what the state machine relies on.
        }
    }
}
