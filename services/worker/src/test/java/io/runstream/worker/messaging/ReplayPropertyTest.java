package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.engine.Activity;
import io.runstream.engine.Definition;
import io.runstream.engine.Effects;
import io.runstream.engine.Limits;
import io.runstream.engine.LoopbackRunner;
import io.runstream.engine.Machine;
import io.runstream.engine.Progress;
import io.runstream.engine.Seeds;
import io.runstream.engine.Timer;
import io.runstream.schemas.internal.ExecutionProgress;
import io.runstream.testkit.HttpStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The step function is deterministic in fact: for every conformance case, and a retry with jitter, each input (the
 * start, every activity result, every timer, every continuation) is applied twice to the same stored progress, and
 * both give the same progress, byte for byte as the worker stores it, and the same effects. A turn yields by steps
 * and expression work, both counted, so where it yields is part of this. Left out: the runaway-expression cases
 * ({@code jq-*-fails-clearly}), which one evaluation's bounds stop, and one of those bounds is wall time (2 s, for
 * what counts neither as a builtin call nor as a value, such as a quadratic {@code reduce}): which bound stops such
 * an expression first depends on the machine, though every one of them fails the task the same way.
 */
class ReplayPropertyTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpStub SERVER = new HttpStub();
    private static final String JITTER = """
            description: retries with jitter draw the same delays when replayed
            input: {}
            workflow:
              document: {dsl: '1.0.0', namespace: t, name: jitter, version: '0.1.0'}
              do:
                - flaky:
                    try:
                      - fail:
                          raise:
                            error: {type: https://example.com/busy, status: 503, title: Busy}
                    catch:
                      errors: {with: {status: 503}}
                      retry:
                        delay: {milliseconds: 100}
                        jitter: {from: {milliseconds: 0}, to: {seconds: 5}}
                        limit: {attempt: {count: 4}}
                      do:
                        - gaveUp: {set: {gaveUp: true}}
            """;

    private final Machine machine = new Machine(new Limits(20, 100_000, java.time.Duration.ofSeconds(60), 3));

    static Stream<String> cases() throws IOException {
        Stream<String> files = Files.list(Path.of("../engine/src/test/resources/conformance"))
                .filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !p.getFileName().toString().matches("jq-.*-fails-clearly\\.yaml")).sorted().map(p -> {
                    try {
                        return Files.readString(p);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        return Stream.concat(files, Stream.of(JITTER));
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    /** One input of the run: what it does to a progress, the same whichever copy it is given. */
    private interface Input {
        Effects apply(Progress progress);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void shouldGiveTheSameProgressAndEffectsWhenAnInputIsReplayed(String text) throws IOException {
        JsonNode spec = YAML.readTree(text.replace("@base@", SERVER.baseUrl()));
        Definition definition = Definition.parse(spec.get("workflow"));
        JsonNode input = spec.get("input");
        long seed = Seeds.of("replayed", 0);
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};

        byte[] stored = null;
        Effects effects = null;
        Map<Long, Activity> pending = new LinkedHashMap<>();
        java.util.ArrayDeque<JsonNode> events = new java.util.ArrayDeque<>();
        spec.path("events").forEach(events::add);
        for (int inputs = 0; inputs < 10_000; inputs++) {
            Input next = nextInput(definition, input, seed, now, stored == null ? null : decode(stored), effects,
                    pending, events);
            if (next == null) {
                assertThat(inputs).as("the run took inputs").isPositive();
                return;
            }
            Progress first = stored == null ? new Progress() : decode(stored);
            Progress second = stored == null ? new Progress() : decode(stored);
            Effects once = next.apply(first);
            Effects again = next.apply(second);
            assertThat(encode(second)).as("progress after input %d", inputs).isEqualTo(encode(first));
            assertThat(describe(again)).as("effects of input %d", inputs).isEqualTo(describe(once));
            stored = encode(first);
            effects = once;
        }
        throw new AssertionError("the run did not end within 10,000 inputs");
    }

    /** What the processor would feed the run next, or null once it has ended. */
    private Input nextInput(Definition definition, JsonNode input, long seed, Instant[] now, Progress progress,
            Effects last, Map<Long, Activity> pending, java.util.ArrayDeque<JsonNode> events) {
        if (last == null) {
            return p -> machine.start(definition, p, input, now[0], seed);
        }
        last.abandoned().forEach(a -> pending.remove(a.seq()));
        last.dispatched().forEach(a -> pending.put(a.seq(), a));
        if (last.outcome() != null) {
            return null;
        }
        if (last.yielded()) {
            return p -> machine.resume(definition, p, input, now[0], seed);
        }
        if (!pending.isEmpty()) {
            Activity activity = pending.values().iterator().next();
            pending.remove(activity.seq());
            var response = LoopbackRunner.send(activity.request());
            return p -> machine.activityReported(definition, p, input, activity.seq(), response, now[0], seed);
        }
        if (!events.isEmpty()) {
            // an event for the first listen open (as the index would route it), or for the execution alone
            JsonNode event = events.poll();
            long listen = event.has("signal") || progress.subscriptions().isEmpty() ? 0
                    : progress.subscriptions().keySet().iterator().next();
            JsonNode body = event.has("signal") ? event.get("signal") : event;
            Instant at = now[0];
            return p -> machine.eventDelivered(definition, p, input, listen, body, at, seed);
        }
        Timer due = progress.timers().values().stream().filter(t -> t.kind() != Timer.Kind.ACTIVITY_LEASE)
                .min(Comparator.comparing(Timer::due).thenComparing(Timer::seq))
                .orElseThrow(() -> new AssertionError("Nothing can move: the run is stuck"));
        now[0] = due.due().isAfter(now[0]) ? due.due() : now[0];
        Instant at = now[0];
        return p -> machine.timerFired(definition, p, input, due.seq(), at, seed);
    }

    private static String describe(Effects e) throws IOException {
        return String.join("\n", "steps " + e.steps(), "scheduled " + e.scheduled(), "cancelled " + e.cancelled(),
                "dispatched " + e.dispatched().stream().map(ReplayPropertyTest::describe).toList(),
                "abandoned " + e.abandoned().stream().map(ReplayPropertyTest::describe).toList(),
                "outcome " + e.outcome(), "subscribed " + e.subscribed(), "unsubscribed " + e.unsubscribed(),
                "yielded " + e.yielded(), "moved " + e.moved(),
                "redrive " + (e.redrivePoint() == null ? null : Arrays.toString(encode(e.redrivePoint()))));
    }

    /** An activity with its request's body as bytes, not as the array's identity. */
    private static String describe(Activity a) {
        var r = a.request();
        return String.join(" ", "activity", String.valueOf(a.seq()), String.valueOf(a.fiber()), a.at(), r.method(),
                r.uri(), String.valueOf(r.headers()), r.body() == null ? "-" : Arrays.toString(r.body()),
                String.valueOf(a.dispatches()), String.valueOf(a.leaseTimer()));
    }

    private static byte[] encode(Progress progress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ExecutionProgress.class).write(ProgressMapper.toAvro(progress), encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Progress decode(byte[] bytes) throws IOException {
        return ProgressMapper.toDomain(new SpecificDatumReader<>(ExecutionProgress.class)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
    }
}
