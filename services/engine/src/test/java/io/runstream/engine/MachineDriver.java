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
    /** The progress as it was before the input whose effects are checked next. */
    private Progress before;
    int turns;

    MachineDriver(Machine machine, Function<HttpRequest, HttpResponse> runner) {
        this.machine = machine;
        this.runner = runner;
    }

    Outcome run(Definition definition, JsonNode input) {
        return run(definition, input, List.of());
    }

    /**
     * Runs with events arriving whenever nothing else can move, before any timer: each is delivered to every listen
     * open then (as the correlation index would route it, the execution being the judge), or, written
     * {@code {signal: event}}, to the execution alone.
     */
    Outcome run(Definition definition, JsonNode input, List<JsonNode> arriving) {
        java.util.ArrayDeque<JsonNode> events = new java.util.ArrayDeque<>(arriving);
        Progress progress = new Progress().forExecution("e1");
        before = progress.copy();
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
            } else if (!events.isEmpty()) {
                effects = deliver(definition, progress, input, events.poll());
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

    /**
     * One event, to the execution alone or to each listen open now, one input each; the effects of the last, which
     * the caller checks, the others checked here.
     */
    private Effects deliver(Definition definition, Progress progress, JsonNode input, JsonNode event) {
        if (event.has("signal")) {
            return machine.eventDelivered(definition, progress, input, 0, event.get("signal"), now, 7L);
        }
        List<Long> open = List.copyOf(progress.subscriptions().keySet());
        if (open.isEmpty()) {
            return new Effects();
        }
        for (Long seq : open.subList(0, open.size() - 1)) {
            Effects effects = machine.eventDelivered(definition, progress, input, seq, event, now, 7L);
            if (effects.outcome() != null) {
                return effects;
            }
            ProgressEventsTest.assertEventsGive(before, effects, progress);
            steps.addAll(effects.steps());
            before = progress.copy();
        }
        return machine.eventDelivered(definition, progress, input, open.get(open.size() - 1), event, now, 7L);
    }
}
