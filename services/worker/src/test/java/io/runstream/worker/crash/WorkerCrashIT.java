package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Real crashes of worker JVMs with executions in flight: two workers share the work, one is killed with SIGKILL
 * (or frozen with SIGSTOP past its session timeout), and the test checks what a user would: one terminal status per
 * execution, each side effect seen by the callee under one Idempotency-Key, completed steps never run again, and
 * waits ending at their original due time plus the takeover.
 */
class WorkerCrashIT {

    private static final Infrastructure infra = Infrastructure.shared();
    private static final SchemaRegistry registry = SchemaRegistry.forUrl(infra.schemaRegistryUrl());
    private static final int EXECUTIONS = 200;
    static final Duration WAIT = Duration.ofSeconds(8);
    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");

    private static String definition(String base) {
        return """
                document: {dsl: "1.0.0", namespace: crash, name: charge, version: "0.1.0"}
                do:
                  - charge:
                      call: http
                      with: {method: post, endpoint: "%1$s/ok/charge-{id}", body: {amount: 5}}
                  - pause:
                      wait: PT8S
                  - told:
                      emit:
                        event:
                          with: {type: charge.done, subject: '${ $workflow.input.id }'}
                  - notify:
                      call: http
                      with: {method: post, endpoint: '${ "%1$s/ok/notify-" + $workflow.input.id }'}
                  - done:
                      set: '${ {charged: true, notified: .ok} }'
                """.formatted(base);
    }

    /** The worker's topics, named for this test alone, and leases short enough for a test. */
    static Map<String, String> settings(String app) {
        Map<String, String> settings = new HashMap<>();
        for (String topic : List.of("commands", "stops", "control", "control-outcomes", "workflows", "status",
                "tasks", "dispatch", "cancels", "reports", "continuations", "dead-letter", "runner-dead-letter", "crashes",
                "events", "correlation", "deliveries", "signals", "schedules", "subflows")) {
            settings.put("runstream.worker.topics." + topic, app + "." + topic);
        }
        settings.put("runstream.worker.activities.lease", "10s");
        settings.put("runstream.worker.http.connect-timeout", "2s");
        settings.put("runstream.worker.http.response-timeout", "5s");
        settings.put("runstream.worker.http.call-timeout", "7s");
        return settings;
    }

    /** Something done to the running workers: {@code workers.get(0)} and {@code (1)}, started as "a" and "b". */
    @FunctionalInterface
    interface Fault {
        void apply(Workers workers) throws Exception;
    }

    /** The workers of one test; each started one is closed at the end. */
    static final class Workers implements AutoCloseable {

        private final String bootstrap;
        private final String app;
        private final Map<String, String> settings;
        private final List<WorkerProcess> started = new ArrayList<>();
        private final List<WorkerProcess> current = new ArrayList<>();

        /** Workers on the shared single broker. */
        Workers(String app, Map<String, String> settings) {
            this(infra.kafkaBootstrapServers(), app, settings);
        }

        Workers(String bootstrap, String app, Map<String, String> settings) {
            this.bootstrap = bootstrap;
            this.app = app;
            this.settings = settings;
        }

        WorkerProcess get(int index) {
            return current.get(index);
        }

        /** The application id, the prefix of the workers' topics. */
        String app() {
            return app;
        }

        /** Starts a worker with its own state directory in slot {@code index} (a restart, if the slot was used). */
        WorkerProcess start(int index) throws Exception {
            WorkerProcess worker = WorkerProcess.start(bootstrap, infra.schemaRegistryUrl(), app,
                    "abcdefgh".substring(index, index + 1), settings);
            started.add(worker);
            if (index < current.size()) {
                current.set(index, worker);
            } else {
                current.add(worker);
            }
            return worker;
        }

        void awaitRunning() {
            await().atMost(Duration.ofSeconds(120)).until(() -> current.stream().allMatch(w -> {
                try {
                    return w.isRunning();
                } catch (java.io.IOException e) {
                    return false;
                }
            }));
        }

        @Override
        public void close() throws Exception {
            // all asked at once, then each awaited: their shutdowns overlap
            for (WorkerProcess worker : started) {
                worker.stop();
            }
            for (WorkerProcess worker : started) {
                worker.close();
            }
        }
    }

    @Test
    void shouldLoseNoExecutionAndRepeatNoCompletedStepWhenAWorkerIsKilled() throws Exception {
        CrashFigures figures = run("worker-kill", workers -> workers.get(0).kill());
        figures.print("worker-kill");
        figures.assertNothingLostOrRepeated();
    }

    @Test
    void shouldIgnoreAZombieWorkerThatWakesUpAfterItsPartitionsMoved() throws Exception {
        CrashFigures figures = run("worker-zombie", workers -> {
            workers.get(0).signal("STOP");
            await().pollDelay(Duration.ofSeconds(16)).atMost(Duration.ofSeconds(17)).until(() -> true);
            workers.get(0).signal("CONT");
        });
        figures.print("worker-zombie");
        figures.assertNothingLostOrRepeated();
        assertThat(figures.duplicateSequences).as("no sequence number published twice").isZero();
    }

    @Test
    void shouldFinishEveryExecutionThroughARollingRestartOfBothWorkers() throws Exception {
        CrashFigures figures = run("worker-rolling", workers -> {
            for (int i = 0; i < 2; i++) {
                workers.get(i).close();
                workers.start(i);
                workers.awaitRunning();
            }
        });
        figures.print("worker-rolling");
        figures.assertNothingLostOrRepeated();
    }

    private CrashFigures run(String name, Fault fault) throws Exception {
        return run(infra.kafkaBootstrapServers(), name, EXECUTIONS, Map.of(), fault);
    }

    /**
     * Starts two workers on the Kafka at {@code bootstrap} with {@code extra} settings, starts {@code executions}
     * executions, applies the fault once half of them have made their first call, and counts what happened once
     * every execution has ended.
     */
    static CrashFigures run(String bootstrap, String name, int executions, Map<String, String> extra, Fault fault)
            throws Exception {
        String app = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = settings(app);
        settings.putAll(extra);
        try (HttpStub stub = new HttpStub();
                Workers workers = new Workers(bootstrap, app, settings);
                var status = new TopicTail<>(bootstrap, registry, app + ".status", ExecutionStatusChanged.class);
                var tasks = new TopicTail<>(bootstrap, registry, app + ".tasks", ExecutionTaskEnded.class);
                var dispatches = new TopicTail<>(bootstrap, registry, app + ".dispatch", ActivityDispatched.class);
                var events = new TopicTail<>(bootstrap, app + ".events",
                        (topic, headers, value) -> KafkaMessageFactory.createReader(headers, value).toEvent())) {
            workers.start(0);
            workers.start(1);
            workers.awaitRunning();

            List<String> ids = start(bootstrap, app, executions, definition(stub.baseUrl()));
            await().atMost(Duration.ofSeconds(60)).until(() -> tasks.records.stream()
                    .filter(t -> t.getName().equals("charge")).count() >= executions / 2);
            Instant faultAt = Instant.now();
            fault.apply(workers);
            Instant faultEnded = Instant.now();

            await().atMost(Duration.ofSeconds(180)).until(() -> terminalIds(status.records).containsAll(ids));
            Duration recovered = Duration.between(faultEnded, Instant.now());
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            return new CrashFigures(ids, List.copyOf(status.records), List.copyOf(tasks.records),
                    List.copyOf(dispatches.records), List.copyOf(events.records), stub, faultAt, recovered, app);
        }
    }

    private static List<String> start(String bootstrap, String app, int executions, String definition)
            throws Exception {
        List<String> ids = new ArrayList<>();
        var props = Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerializer<ExecutionRequested>(registry))) {
            for (int i = 0; i < executions; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                producer.send(new ProducerRecord<>(app + ".commands", id, ExecutionRequested.newBuilder()
                        .setExecutionId(id).setTenant("default").setWorkflowId("charge").setWorkflowVersion(1)
                        .setDefinition(definition).setInputJson("{\"id\":\"" + id + "\"}")
                        .setRequestedAt(Instant.now()).build()));
            }
            producer.flush();
        }
        return ids;
    }

    private static Set<String> terminalIds(List<ExecutionStatusChanged> events) {
        return events.stream().filter(e -> TERMINAL.contains(e.getStatus().name()))
                .map(ExecutionStatusChanged::getExecutionId).collect(Collectors.toSet());
    }
}
