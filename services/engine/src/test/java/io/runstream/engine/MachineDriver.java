package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives the machine to the end of a run, as the processor and a runner would, on a clock that jumps to the next due
 * timer whenever nothing else can move: activities run at once through {@code runner}, timers fire in due order.
 * After every input it checks that the turn's events, applied to the progress as it was before, give the progress
 * as it is after: nothing changes the progress but its events.
 */
final class MachineDriver {

    private final Machine machine;
    private final Function<HttpRequest, HttpResponse> runner;
    final List<TaskStep> steps = new ArrayList<>();
    final List<Activity> dispatches = new ArrayList<>();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    int turns;

    MachineDriver(Machine machine, Function<HttpRequest, HttpResponse> runner) {
        this.machine = machine;
        this.runner = runner;
    }

    Outcome run(Definition definition, JsonNode input) {
        Progress progress = new Progress().forExecution("e1");
        Progress before = progress.copy();
        Effects effects = machine.start(definition, progress, input, now, 7L);
        Map<Long, Activity> pending = new LinkedHashMap<>();
        while (true) {
            turns++;
            ProgressEventsTest.assertEventsGive(before, effects, progress);
            steps.addAll(effects.steps());
            effects.abandoned().forEach(a -> pending.remove(a.seq()));
            effects.dispatched().forEach(a -> pending.put(a.seq(), a));
            dispatches.addAll(effects.dispatched());
            if (effects.outcome() != null) {
                return effects.outcome();
            }
            before = progress.copy();
            if (effects.yielded()) {
                effects = machine.resume(definition, progress, input, now, 7L);
            } else if (!pending.isEmpty()) {
                Activity next = pending.values().iterator().next();
                pending.remove(next.seq());
                effects = machine.activityReported(definition, progress, input, next.seq(),
                        runner.apply(next.request()), now, 7L);
            } else {
                Timer due = progress.timers().values().stream()
                        .filter(t -> t.kind() != Timer.Kind.ACTIVITY_LEASE)
                        .min(java.util.Comparator.comparing(Timer::due).thenComparing(Timer::seq))
                        .orElseThrow(() -> new AssertionError("Nothing can move: the run is stuck"));
                now = due.due().isAfter(now) ? due.due() : now;
                effects = machine.timerFired(definition, progress, input, due.seq(), now, 7L);
            }
        }
    }
}
