package io.runstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's clients: each scenario starts one execution of its workflow through an ingress (alternating between
 * them) and does what the scenario says to it (stop it, pause and resume it, redrive it after it failed), sending
 * again, with the same Idempotency-Key, whatever answered 503 or not at all, as careful clients do. It keeps a ledger
 * of every execution started and the status it must end with.
 */
final class SoakLoad {

    /** What a scenario's execution must end as. */
    enum Scenario {
        SET("SUCCEEDED"), CALL("SUCCEEDED"), WAIT("SUCCEEDED"), FORK("SUCCEEDED"), RETRY("SUCCEEDED"),
        STOP("CANCELLED"), PAUSE("SUCCEEDED"), REDRIVE("SUCCEEDED");

        final String expected;

        Scenario(String expected) {
            this.expected = expected;
        }

        String workflowId() {
            return "soak-" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One execution the soak started: what it runs and must end as. */
    record Started(String executionId, Scenario scenario, long startedAtNanos) {
    }

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z_]+)\"");
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\":\"([A-Z_]+)\"");
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final List<String> ingresses;
    private final List<String> projections;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Map<String, Started> ledger = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final AtomicLong starts = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopping;

    SoakLoad(List<String> ingresses, List<String> projections, String apiKey) {
        this.ingresses = ingresses;
        this.projections = projections;
        this.apiKey = apiKey;
    }

    /** Defines every scenario's workflow, calling {@code endpoint}. */
    void define(String endpoint) throws Exception {
        for (Scenario scenario : Scenario.values()) {
            String definition = "document: {dsl: '1.0.0', namespace: soak, name: " + scenario.workflowId()
                    + ", version: '0.1.0'}\ndo:\n" + tasks(scenario, endpoint);
            HttpResponse<String> put = until200(() -> HttpRequest.newBuilder(URI.create(ingress()
                    + "/v1/workflows/" + scenario.workflowId())).header("Content-Type", "application/yaml")
                    .PUT(HttpRequest.BodyPublishers.ofString(definition)));
            if (put.statusCode() != 200 && put.statusCode() != 201) {
                throw new IllegalStateException(scenario + ": " + put.statusCode() + " " + put.body());
            }
        }
    }

    private static String tasks(Scenario scenario, String endpoint) {
        return switch (scenario) {
            case SET -> """
                      - done:
                          set: {done: true}
                    """;
            case CALL -> """
                      - charge:
                          call: http
                          with: {method: post, endpoint: '${ "%s/ok/" + $workflow.id }'}
                      - done:
                          set: {done: true}
                    """.formatted(endpoint);
            case WAIT -> """
                      - nap:
                          wait: PT5S
                      - done:
                          set: {done: true}
                    """;
            case FORK -> """
                      - both:
                          fork:
                            branches:
                              - a:
                                  call: http
                                  with: {method: post, endpoint: '${ "%s/ok/" + $workflow.id + "-a" }'}
                              - b:
                                  set: {b: true}
                    """.formatted(endpoint);
            case RETRY -> """
                      - flaky:
                          try:
                            - charge:
                                call: http
                                with: {method: post, endpoint: '${ "%s/flaky/" + $workflow.id }'}
                          catch:
                            retry:
                              delay: {seconds: 1}
                              limit:
                                attempt: {count: 5}
                    """.formatted(endpoint);
            case STOP -> """
                      - nap:
                          wait: PT10M
                    """;
            case PAUSE -> """
                      - nap:
                          wait: PT8S
                      - done:
                          set: {done: true}
                    """;
            case REDRIVE -> """
                      - charge:
                          call: http
                          with: {method: post, endpoint: '${ "%s/broken/" + $workflow.id }'}
                      - done:
                          set: {done: true}
                    """.formatted(endpoint);
        };
    }

    /** Runs one execution of {@code scenario} to where the client's part ends. */
    void run(Scenario scenario) {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> started = untilAccepted("start", () -> HttpRequest.newBuilder(URI.create(ingress()
                + "/v1/workflows/" + scenario.workflowId() + "/executions")).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString("{\"inputData\":{}}")));
        if (started == null) {
            return;
        }
        Matcher id = EXECUTION_ID.matcher(started.body());
        if (!id.find()) {
            throw new IllegalStateException("A start answered without an execution id: " + started.body());
        }
        String executionId = id.group(1);
        ledger.put(executionId, new Started(executionId, scenario, System.nanoTime()));
        starts.incrementAndGet();
        switch (scenario) {
            case STOP -> {
                pause(Duration.ofSeconds(3));
                command(executionId, "stop");
            }
            case PAUSE -> {
                pause(Duration.ofSeconds(2));
                if (command(executionId, "pause")) {
                    pause(Duration.ofSeconds(3));
                    command(executionId, "resume");
                }
            }
            case REDRIVE -> {
                awaitStatus(executionId, "FAILED", Duration.ofMinutes(5));
                command(executionId, "redrive");
            }
            default -> {
            }
        }
    }

    /** A command, sent until it is answered; true when it was taken (not 409: not where the command applies). */
    private boolean command(String executionId, String command) {
        String key = UUID.randomUUID().toString();
        return null != untilAccepted(command, () -> HttpRequest.newBuilder(URI.create(ingress() + "/v1/executions/" + executionId
                + "/" + command + "?waitSeconds=5")).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private void awaitStatus(String executionId, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !stopping) {
            if (status.equals(status(executionId))) {
                return;
            }
            pause(RETRY);
        }
    }

    /** The status the view shows, or null when it cannot be read now. */
    String status(String executionId) {
        try {
            HttpResponse<String> view = send(HttpRequest.newBuilder(URI.create(projection() + "/v1/executions/"
                    + executionId)).GET());
            if (view.statusCode() != 200) {
                return null;
            }
            Matcher status = STATUS.matcher(view.body());
            return status.find() ? status.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The execution's history entries that are terminal status changes. */
    int terminalEntries(String executionId) throws IOException {
        HttpResponse<String> history = send(HttpRequest.newBuilder(URI.create(projection() + "/v1/executions/"
                + executionId + "/history?limit=100")).GET());
        Matcher status = Pattern.compile("\"type\":\"STATUS\",\"at\":\"[^\"]*\",\"status\":\"([A-Z_]+)\"")
                .matcher(history.body());
        int terminal = 0;
        while (status.find()) {
            if (TERMINAL.contains(status.group(1))) {
                terminal++;
            }
        }
        return terminal;
    }

    private HttpResponse<String> untilAccepted(String what, RequestFactory request) {
        while (!stopping) {
            try {
                HttpResponse<String> response = send(request.make());
                int code = response.statusCode();
                if (code < 300) {
                    return response;
                }
                Matcher error = ERROR_CODE.matcher(response.body());
                String reason = error.find() ? error.group(1) : Integer.toString(code);
                refusals.computeIfAbsent(what + " " + code + " " + reason, c -> new AtomicInteger())
                        .incrementAndGet();
                if (code == 409) {
                    // the execution is not where the command applies (finished, or not paused): nothing to retry
                    return null;
                }
                if (code != 503 && code != 504 && code != 404) {
                    throw new IllegalStateException(what + " answered " + code + ": " + response.body());
                }
            } catch (IOException e) {
                refusals.computeIfAbsent(what + " no answer", c -> new AtomicInteger()).incrementAndGet();
            }
            pause(RETRY);
        }
        return null;
    }

    private HttpResponse<String> until200(RequestFactory request) throws InterruptedException {
        while (true) {
            try {
                HttpResponse<String> response = send(request.make());
                if (response.statusCode() != 503) {
                    return response;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(RETRY.toMillis());
        }
    }

    /** A request made afresh for each attempt. */
    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest.Builder make();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("X-API-Key", apiKey).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String ingress() {
        return ingresses.get(Math.floorMod(next.getAndIncrement(), ingresses.size()));
    }

    private String projection() {
        return projections.get(Math.floorMod(next.getAndIncrement(), projections.size()));
    }

    /** Clients give up what they are still retrying. */
    void stop() {
        stopping = true;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
