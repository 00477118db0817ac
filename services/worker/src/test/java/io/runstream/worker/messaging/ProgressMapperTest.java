package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.runstream.schemas.internal.ExecutionProgress;
import io.runstream.engine.Definition;
import io.runstream.engine.Effects;
import io.runstream.engine.Frame;
import io.runstream.engine.Limits;
import io.runstream.engine.Machine;
import io.runstream.engine.Outcome;
import io.runstream.engine.Progress;
import io.runstream.engine.Timer;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The stored form of progress: every kind of frame survives the binary encoding, and a run resumes from it. */
class ProgressMapperTest {

    private static final String EVERYTHING = """
            document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
            do:
              - prepare:
                  set: {items: [1, 2]}
                  export:
                    as: '${ {prepared: true} }'
              - both:
                  fork:
                    branches:
                      - looping:
                          for: {each: n, in: '${ .items }'}
                          do:
                            - nap:
                                wait: {seconds: 5}
                      - guarded:
                          try:
                            - refuse:
                                raise:
                                  error: {type: https://example.com/x, status: 503, title: Busy}
                          catch:
                            errors:
                              with: {status: 503}
                            retry:
                              delay: {seconds: 3}
                              limit:
                                attempt: {count: 1}
                            do:
                              - handled:
                                  wait: {seconds: 1}
                      - calling:
                          call: http
                          with: {method: post, endpoint: "http://127.0.0.1:9/x", body: {a: 1}}
                          timeout:
                            after: PT1M
            """;

    private final Machine machine = new Machine(Limits.DEFAULT);

    private static Definition parse() throws Exception {
        return Definition.parse(new ObjectMapper(new YAMLFactory()).readTree(EVERYTHING));
    }

    private static Progress roundTrip(Progress progress) throws Exception {
        ExecutionProgress avro = ProgressMapper.toAvro(progress);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ExecutionProgress.class).write(avro, encoder);
        encoder.flush();
        ExecutionProgress read = new SpecificDatumReader<>(ExecutionProgress.class)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        return ProgressMapper.toDomain(read);
    }

    private static Set<Class<?>> frameKinds(Progress progress) {
        return progress.fibers().stream().flatMap(f -> f.stack().stream()).map(Object::getClass)
                .collect(Collectors.toSet());
    }

    /** Fires timers and answers the activity in due order until the run ends. */
    private Outcome finish(Definition definition, Progress progress, boolean restartEachTurn) throws Exception {
        var input = new ObjectMapper().readTree("{}");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Effects effects = null;
        for (int turn = 0; turn < 100; turn++) {
            if (restartEachTurn) {
                progress = roundTrip(progress);
            }
            if (!progress.activities().isEmpty()) {
                long seq = progress.activities().keySet().iterator().next();
                effects = machine.activityReported(definition, progress, input, seq,
                        io.runstream.engine.HttpResponse.of(200, java.util.Map.of(), new byte[0]), now, 7L);
            } else {
                Timer next = progress.timers().values().stream().min(Comparator.comparing(Timer::due)).orElseThrow();
                now = next.due();
                effects = machine.timerFired(definition, progress, input, next.seq(), now, 7L);
            }
            if (effects.outcome() != null) {
                return effects.outcome();
            }
        }
        throw new AssertionError("did not finish");
    }

    @Test
    void shouldKeepEveryKindOfFrameTimerAndActivityThroughTheBinaryEncoding() throws Exception {
        Definition definition = parse();
        Progress progress = new Progress();
        machine.start(definition, progress, new ObjectMapper().readTree("{}"), Instant.parse("2026-01-01T00:00:00Z"), 7L);
        assertThat(frameKinds(progress)).contains(Frame.ListFrame.class, Frame.TaskFrame.class, Frame.ForFrame.class,
                Frame.TryFrame.class, Frame.ForkFrame.class);

        Progress read = roundTrip(progress);

        assertThat(ProgressMapper.toAvro(read)).isEqualTo(ProgressMapper.toAvro(progress));
        assertThat(read.timers()).isEqualTo(progress.timers());
        assertThat(read.activities().keySet()).isEqualTo(progress.activities().keySet());
        assertThat(read.context().path("prepared").asBoolean()).isTrue();
    }

    @Test
    void shouldKeepTheSubflowsItWaitsOnThroughTheBinaryEncoding() throws Exception {
        Definition definition = Definition.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                document: {dsl: '1.0.0', namespace: t, name: p, version: '0.1.0'}
                do:
                  - both:
                      fork:
                        branches:
                          - a: {run: {workflow: {namespace: t, name: c, version: latest}}}
                          - b: {run: {workflow: {namespace: t, name: c, version: '1.0.0'}}}
                """));
        Machine parent = new Machine(Limits.DEFAULT, (id, ref) -> new byte[32],
                (tenant, namespace, name, version) -> new io.runstream.engine.Subflows.Workflow("c", 1, "text", true));
        Progress progress = new Progress().forExecution("p").ownedBy("acme", 0, 0);
        parent.start(definition, progress, new ObjectMapper().readTree("{}"), Instant.parse("2026-01-01T00:00:00Z"),
                7L);
        assertThat(progress.children()).hasSize(2);

        Progress read = roundTrip(progress);

        assertThat(read.children()).isEqualTo(progress.children());
        assertThat(ProgressMapper.toAvro(read)).isEqualTo(ProgressMapper.toAvro(progress));
    }

    @Test
    void shouldEndTheSameWhetherOrNotItRestartsFromStoredProgressAfterEveryTurn() throws Exception {
        Definition definition = parse();
        Progress straight = new Progress();
        Progress restarted = new Progress();
        var input = new ObjectMapper().readTree("{}");
        machine.start(definition, straight, input, Instant.parse("2026-01-01T00:00:00Z"), 7L);
        machine.start(definition, restarted, input, Instant.parse("2026-01-01T00:00:00Z"), 7L);

        Outcome once = finish(definition, straight, false);
        Outcome resumed = finish(parse(), restarted, true);

        assertThat(once).isInstanceOf(Outcome.Succeeded.class);
        assertThat(resumed).isEqualTo(once);
    }

    @Test
    void shouldRedriveAFailedForkBranchFromItsStoredRedrivePointAndEndAsARunThatNeverFailed() throws Exception {
        Definition definition = parse();
        var input = new ObjectMapper().readTree("{}");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Progress progress = new Progress();
        machine.start(definition, progress, input, t0, 7L);
        long call = progress.activities().keySet().iterator().next();

        Effects failed = machine.activityReported(definition, progress, input, call,
                io.runstream.engine.HttpResponse.of(500, java.util.Map.of(), new byte[0]), t0.plusSeconds(1), 7L);

        assertThat(failed.outcome()).isInstanceOf(Outcome.Failed.class);
        Progress point = roundTrip(failed.redrivePoint());
        assertThat(point.fibers()).as("the other branches are kept as they were").hasSize(4)
                .filteredOn(f -> f.next() instanceof io.runstream.engine.Signal.Rerun).hasSize(1);
        Effects reopened = machine.redrive(definition, point, input, java.time.Duration.ofMinutes(5),
                t0.plusSeconds(301), 7L);
        assertThat(reopened.outcome()).isNull();
        assertThat(reopened.dispatched()).as("the failed call is made again, as a new activity").singleElement()
                .satisfies(a -> {
                    assertThat(a.request().uri()).endsWith("/x");
                    assertThat(a.seq()).isGreaterThan(call);
                });
        assertThat(reopened.scheduled()).extracting(Timer::kind).contains(Timer.Kind.WAIT, Timer.Kind.RETRY,
                Timer.Kind.TASK_TIMEOUT, Timer.Kind.ACTIVITY_LEASE);

        Progress straight = new Progress();
        machine.start(definition, straight, input, t0, 7L);
        assertThat(finish(definition, point, true)).isEqualTo(finish(definition, straight, false));
    }

    @Test
    void shouldKeepACallOpenapiWithItsOperationParametersAndCredentialsThroughTheBinaryEncoding() throws Exception {
        Definition definition = Definition.parse(new ObjectMapper(new YAMLFactory()).readTree("""
                document: {dsl: "1.0.0", namespace: t, name: w, version: "0.1.0"}
                do:
                  - getPet:
                      call: openapi
                      with:
                        document:
                          endpoint:
                            uri: http://127.0.0.1:9/openapi.json
                            authentication: {bearer: {token: doc}}
                        operationId: getPetById
                        parameters: {petId: 7, tags: [a, b]}
                        authentication: {bearer: {token: t0k}}
                """));
        Progress progress = new Progress();
        machine.start(definition, progress, new ObjectMapper().readTree("{}"), Instant.parse("2026-01-01T00:00:00Z"),
                7L);

        Progress read = roundTrip(progress);

        assertThat(read.activities()).isEqualTo(progress.activities());
        assertThat(read.activities().values()).singleElement().satisfies(activity -> {
            assertThat(activity.request().headers()).containsExactly(java.util.Map.entry("Authorization",
                    "Bearer doc"));
            assertThat(activity.request().openApi()).isEqualTo(new io.runstream.engine.OpenApiOperation(
                    "getPetById", new ObjectMapper().readTree("{\"petId\":7,\"tags\":[\"a\",\"b\"]}"),
                    "Bearer t0k"));
        });
    }

    @Test
    void shouldRefuseProgressWrittenByANewerVersion() throws Exception {
        Progress progress = new Progress();
        machine.start(parse(), progress, new ObjectMapper().readTree("{}"), Instant.parse("2026-01-01T00:00:00Z"), 7L);
        ExecutionProgress newer = ProgressMapper.toAvro(progress);
        newer.setVersion(ProgressMapper.VERSION + 1);

        assertThatThrownBy(() -> ProgressMapper.toDomain(newer)).hasMessageContaining("written by a newer worker");
    }
}
