package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.testkit.HttpStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients starting executions through the API's one base URL at a steady pace while a fault happens, as careful
 * clients do: each start has its own Idempotency-Key, and one answered 503 (or not answered) is sent again with the
 * same key after its Retry-After, until it is accepted. Afterwards it counts what a user would check.
 */
final class ApiLoad implements AutoCloseable {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String key;
    private final String workflowId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private java.util.concurrent.ScheduledExecutorService clients;
    private java.util.concurrent.CountDownLatch clientsDone;
    private int total;
    private final String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean closed;

    /** Defines a workflow that calls {@code stub} once (with the execution id in the path) and sets its output. */
    ApiLoad(String baseUrl, String key, HttpStub stub) throws IOException, InterruptedException {
        this.baseUrl = baseUrl;
        this.key = key;
        this.workflowId = "load-" + run;
        String definition = """
                document: {dsl: "1.0.0", namespace: faults, name: load, version: "0.1.0"}
                do:
                  - charge:
                      call: http
                      with:
                        method: post
                        endpoint: '${ "%s/ok/charge-" + $workflow.id }'
                        body: {amount: 5}
                  - done:
                      set: {charged: true}
                """.formatted(stub.baseUrl());
        var put = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/workflows/" + workflowId))
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(definition)));
        if (put.statusCode() != 201) {
            throw new IllegalStateException("Could not define the load's workflow: " + put.statusCode() + " "
                    + put.body());
        }
    }

    /** Starts {@code total} executions from {@code threads} clients, one client start every {@code pace}. */
    ApiLoad start(int total, int threads, Duration pace) {
        this.total = total;
        this.clientsDone = new java.util.concurrent.CountDownLatch(threads);
        this.clients = java.util.concurrent.Executors.newScheduledThreadPool(threads, task -> {
            Thread client = new Thread(task, "load-client");
            client.setDaemon(true);
            return client;
        });
        for (int t = 0; t < threads; t++) {
            clients.execute(() -> client(next.getAndIncrement(), pace));
        }
        return this;
    }

    /**
     * One client's step: start {@code i}; once accepted, the next start {@code pace} later; answered 503 (or not at
     * all), the same start again a second later, sooner than its Retry-After of 5 s asks, so the figures show how
     * long starts were refused. Any other answer ends the load with that failure.
     */
    private void client(int i, Duration pace) {
        if (closed || i >= total) {
            clientsDone.countDown();
            return;
        }
        try {
            if (tryStart(i)) {
                clients.schedule(() -> client(next.getAndIncrement(), pace), pace.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                clients.schedule(() -> client(i, pace), 1, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            clientsDone.countDown();
        }
    }

    /** Sends start {@code i} once; true when it was accepted, false when it should be sent again. */
    private boolean tryStart(int i) {
        try {
            var response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/workflows/" + workflowId
                    + "/executions")).header("Content-Type", "application/json")
                    .header("Idempotency-Key", run + "-" + i).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputData\":{\"n\":" + i + "}}")));
            if (response.statusCode() == 201 || response.statusCode() == 200) {
                accepted.put(i, JSON.readTree(response.body()).get("executionId").asText());
                return true;
            }
            String code = response.statusCode() + " " + code(response.body());
            refusals.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() != 503 || response.headers().firstValue("Retry-After").isEmpty()) {
                throw new IllegalStateException("Start " + i + " answered " + code + ": " + response.body());
            }
            return false;
        } catch (IOException e) {
            unanswered.incrementAndGet();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending start " + i, e);
        }
    }

    private static String code(String body) {
        try {
            JsonNode code = JSON.readTree(body).get("code");
            return code == null ? "?" : code.asText();
        } catch (IOException e) {
            return "not JSON";
        }
    }

    int accepted() {
        return accepted.size();
    }

    /** Answers other than 201/200, by status and code ("503 PUBLISH_DEFERRED": 3), and starts not answered. */
    Map<String, Integer> refusals() {
        Map<String, Integer> counts = new HashMap<>();
        refusals.forEach((code, n) -> counts.put(code, n.get()));
        if (unanswered.get() > 0) {
            counts.put("no answer", unanswered.get());
        }
        return counts;
    }

    int refused() {
        return refusals.values().stream().mapToInt(AtomicInteger::get).sum() + unanswered.get();
    }

    /** Something done to the infrastructure; it returns once the fault is over. */
    @FunctionalInterface
    interface Fault {
        void apply() throws Exception;
    }

    /**
     * Starts {@code executions} executions through {@code baseUrl} from 2 clients, about 10 a second, so the load
     * runs through the whole outage; applies the fault once 20 are accepted; then waits for the services on
     * {@code servicePorts} to be ready again, for every start to be accepted and every execution to end.
     */
    static Figures underLoad(String baseUrl, int executions, List<Integer> servicePorts, Fault fault)
            throws Exception {
        try (HttpStub stub = new HttpStub(); ApiLoad load = new ApiLoad(baseUrl, TestStack.KEY, stub)) {
            load.start(executions, 2, Duration.ofMillis(200));
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted() >= 20);
            fault.apply();
            Instant over = Instant.now();
            for (int port : servicePorts) {
                await().atMost(Duration.ofSeconds(90)).until(() -> readiness(port).statusCode() == 200);
            }
            load.awaitAccepted(Duration.ofSeconds(120));
            Figures figures = load.awaitTerminal(stub, over, Duration.ofSeconds(180));
            if (figures.terminal() < figures.started()) {
                // what a failed run needs to be understood: where the executions stopped, and what each service says
                System.out.printf("not ended: %s; the stub was called for %d of the accepted executions%n",
                        load.unended(), load.accepted.values().stream()
                                .filter(id -> !stub.idempotencyKeys("/ok/charge-" + id).isEmpty()).count());
                for (int port : servicePorts) {
                    System.out.printf("readiness of :%d: %s%n", port, readiness(port).body());
                }
            }
            return figures;
        }
    }

    /** Waits until the readiness of the service on {@code port} is 503 with {@code component} DOWN. */
    static void assertNotReady(int port, String component) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = readiness(port);
            assertThat(ready.statusCode()).as("readiness of :%d", port).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).path("components").path(component).path("status").asText())
                    .as("names what is missing: %s", ready.body()).isEqualTo("DOWN");
        });
    }

    static HttpResponse<String> readiness(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Lets {@code duration} pass. */
    static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }

    /** Waits until every client has had each of its starts accepted. */
    void awaitAccepted(Duration timeout) throws InterruptedException {
        boolean done = clientsDone.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (failure.get() != null) {
            throw failure.get();
        }
        if (!done) {
            throw new IllegalStateException("Starts still not accepted after " + timeout + ": " + refusals());
        }
    }

    /** What a user would check, once every accepted execution has ended (or {@code timeout} passed). */
    Figures awaitTerminal(HttpStub stub, Instant faultEnded, Duration timeout) throws Exception {
        Map<String, String> status = new HashMap<>();
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .until(() -> readTerminals(status) == accepted.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the figures count what did not end as lost, and the caller asserts on them
        }
        Duration recovered = Duration.between(faultEnded, Instant.now());
        int duplicateTerminals = 0;
        int stepsRerun = 0;
        int repeatedCalls = 0;
        int maxKeys = 0;
        for (String id : status.keySet()) {
            JsonNode items = JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/executions/" + id
                    + "/history?limit=100")).GET()).body()).get("items");
            int terminals = 0;
            Map<String, Integer> completed = new HashMap<>();
            for (JsonNode entry : items) {
                if (entry.path("type").asText().equals("STATUS") && TERMINAL.contains(entry.path("status").asText())) {
                    terminals++;
                }
                if (entry.path("type").asText().equals("TASK") && !entry.hasNonNull("error")) {
                    completed.merge(entry.path("position").asText(), 1, Integer::sum);
                }
            }
            duplicateTerminals += Math.max(0, terminals - 1);
            stepsRerun += completed.values().stream().mapToInt(n -> n - 1).sum();
            List<String> keys = stub.idempotencyKeys("/ok/charge-" + id);
            repeatedCalls += Math.max(0, keys.size() - 1);
            maxKeys = Math.max(maxKeys, Set.copyOf(keys).size());
        }
        long succeeded = status.values().stream().filter("SUCCEEDED"::equals).count();
        return new Figures(accepted.size(), status.size(), (int) succeeded, duplicateTerminals, stepsRerun,
                repeatedCalls, maxKeys, refused(), refusals(), recovered);
    }

    /** The view's status of each accepted execution that has not ended, counted by status (404: no view). */
    private Map<String, Integer> unended() throws IOException, InterruptedException {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String id : accepted.values()) {
            var view = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/executions/" + id)).GET());
            String s = view.statusCode() == 200 ? JSON.readTree(view.body()).get("status").asText()
                    : Integer.toString(view.statusCode());
            if (!TERMINAL.contains(s)) {
                counts.merge(s, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Reads the view of each accepted execution not yet seen ending into {@code status}; how many have ended. */
    private int readTerminals(Map<String, String> status) throws IOException, InterruptedException {
        for (String id : accepted.values()) {
            if (!status.containsKey(id)) {
                var view = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/executions/" + id)).GET());
                if (view.statusCode() == 200) {
                    String s = JSON.readTree(view.body()).get("status").asText();
                    if (TERMINAL.contains(s)) {
                        status.put(id, s);
                    }
                }
            }
        }
        return status.size();
    }

    /** What a user would count after a fault. */
    record Figures(int started, int terminal, int succeeded, int duplicateTerminals, int completedStepsRerun,
            int repeatedCalls, int maxKeysPerCall, int refused, Map<String, Integer> refusals, Duration recovered) {

        void print(String name, String what) {
            System.out.printf("%s: %d started, %d terminal (%d succeeded), %d lost, %d duplicate terminals, "
                    + "%d completed steps re-run, %d repeated calls, 503s while down %d %s, %s, recovered in %.1f s%n",
                    name, started, terminal, succeeded, started - terminal, duplicateTerminals, completedStepsRerun,
                    repeatedCalls, refused, refusals, what, recovered.toMillis() / 1000.0);
        }

        /** Every one of {@code expected} starts accepted and ended once, with its call made under one key. */
        void assertNothingLost(int expected) {
            org.assertj.core.api.Assertions.assertThat(started).as("every start accepted in the end")
                    .isEqualTo(expected);
            org.assertj.core.api.Assertions.assertThat(terminal).as("every accepted execution ended")
                    .isEqualTo(started);
            org.assertj.core.api.Assertions.assertThat(succeeded).as("and succeeded").isEqualTo(started);
            org.assertj.core.api.Assertions.assertThat(duplicateTerminals).as("one terminal status each").isZero();
            org.assertj.core.api.Assertions.assertThat(completedStepsRerun).as("no completed step ran again")
                    .isZero();
            org.assertj.core.api.Assertions.assertThat(maxKeysPerCall).as("one Idempotency-Key per call")
                    .isEqualTo(1);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        closed = true;
        if (clients != null) {
            clients.shutdownNow();
        }
    }
}
