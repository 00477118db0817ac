package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The progress changes by its events alone (every kind of event names its applier, or it does not compile): a turn's
 * events applied to the progress it started from give the progress it ended with, here and, by {@link MachineDriver},
 * after every input of every conformance case.
 */
class ProgressEventsTest {

    @Test
    void aTurnsEventsGiveTheProgressItEndedWith() {
        Definition definition = Definition.parse(yaml("""
                document: {dsl: '1.0.0', namespace: t, name: events, version: '1.0.0'}
                do:
                  - first: {set: {a: 1}, export: {as: '{seen: true}'}}
                  - branches:
                      fork:
                        branches:
                          - one: {wait: {milliseconds: 10}}
                          - two: {set: {b: 2}}
                """));
        Progress progress = new Progress();
        Progress before = progress.copy();
        Effects effects = new Machine(Limits.DEFAULT).start(definition, progress, yaml("{}"),
                java.time.Instant.parse("2026-01-01T00:00:00Z"), 7L);

        assertThat(effects.events()).extracting(e -> e.getClass().getSimpleName())
                .contains("RunStarted", "FiberStarted", "ContextSet", "TimerScheduled", "TaskEnded");
        assertThat(effects.scheduled()).hasSize(1);
        assertEventsGive(before, effects, progress);
    }

    /** Applies the turn's events to a copy of {@code before} and compares it with {@code after}, field by field. */
    static void assertEventsGive(Progress before, Effects effects, Progress after) {
        Progress replayed = before.copy();
        effects.events().forEach(event -> Applier.apply(replayed, event));
        assertThat(fingerprint(replayed)).as("the progress its %d events give", effects.events().size())
                .isEqualTo(fingerprint(after));
    }

    static String fingerprint(Progress p) {
        return String.join("\n", "input " + p.input(), "context " + p.context(), "startedAt " + p.startedAt(),
                "counters " + Arrays.toString(new long[] {p.nextFiber(), p.seq(), p.steps(), p.transitions(),
                    p.workflowTimeout()}),
                "fibers " + p.fibers().stream().map(f -> f.id() + "/" + f.parent() + "/" + f.branch() + " "
                        + f.inherited() + " " + f.stack() + " next " + signal(f.next()))
                        .collect(Collectors.joining("; ")),
                "timers " + p.timers(), "activities " + p.activities(), "subscriptions " + p.subscriptions(),
                "held " + p.held(), "consumed " + p.consumed(), "children " + p.children());
    }

    private static String signal(Signal signal) {
        return signal instanceof Signal.Throw t ? "Throw " + t.error().toJson() : String.valueOf(signal);
    }

    private static com.fasterxml.jackson.databind.JsonNode yaml(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
