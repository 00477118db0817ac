package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a running Runstream stack next to the machine's own limits, in one run: raw Kafka producer throughput,
 * a trivial HTTP endpoint, then executions accepted by the ingress and executions completed end to end.
 * Options: --ingress URL --kafka HOST:PORT --registry URL --api-key KEY --requests N --concurrency N --warmup N
 * --workflow set|five|emit|call|bearer|oauth2 ({@code set}: one set task; {@code five}: set, a call: http GET to an
 * endpoint the bench serves on 127.0.0.1, set, switch, set; {@code emit}: one emit task, its event written to the
 * event log; {@code call}: one call: http GET to that endpoint; {@code bearer}: the same call with bearer
 * authentication from a secret the bench stores first; {@code oauth2}: the same call with an OAuth2 client
 * credentials token the endpoint also issues); --sync-requests N (0) adds N starts that wait for their result
 * ({@code ?waitForTerminalSeconds=30}), timed from POST to the terminal view; --direct URL (the ingress's own URL,
 * {@code http://127.0.0.1:8081} in the dev stack) adds the edge's cost: the same starts through the API URL and
 * straight to the ingress, in turns, and the one as a share of the other.
 * With {@code view} first, measures queries against a large view instead (see {@link ViewBench}); with
 * {@code records} first, the Kafka records one execution writes per topic (see {@link RecordsBench}); with
 * {@code parked} first, what executions parked on a wait cost (see {@link ParkedBench}); with {@code fairness}
 * first, another tenant's call latency alone and while one tenant's slow calls hold the runner (see
 * {@link FairnessBench}); with {@code soak} first, a long run of mixed workflows under faults on a 3-node cluster
 * that it starts itself (see {@link SoakBench}); with {@code sweep} first, latency against offered load in open loop,
 * drawn as a PNG (see {@link SweepBench}).
 */
public final class Bench {

    private static String apiKey;
    private static String workflowId;
    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");

    static final String BENCH_WORKFLOW = String.join("\n", "document:", "  dsl: '1.0.0'",
            "  namespace: bench", "  name: bench", "  version: '0.1.0'", "do:", "  - step:", "      set:",
            "        done: true", "");

    private static final String EMIT_WORKFLOW = String.join("\n", "document:", "  dsl: '1.0.0'",
            "  namespace: bench", "  name: bench-emit", "  version: '0.1.0'", "do:", "  - tell:", "      emit:",
            "        event:", "          with:", "            source: https://bench.example/orders",
            "            type: bench.order.placed", "            data: '${ . }'", "");

    static String fiveTaskWorkflow(String url) {
        return String.join("\n", "document:", "  dsl: '1.0.0'", "  namespace: bench", "  name: bench-five",
                "  version: '0.1.0'", "do:",
                "  - prepare:", "      set:", "        orderId: ${ .orderId }", "        amount: ${ .amount }",
                "  - fetch:", "      call: http", "      with:", "        method: get", "        endpoint: " + url,
                "  - check:", "      set:", "        ok: ${ .ok }",
                "  - route:", "      switch:", "        - approved:", "            when: ${ .ok == true }",
                "            then: finish", "        - otherwise:", "            then: finish",
                "  - finish:", "      set:", "        done: true", "");
    }

    /** One call: http to the loopback endpoint, with an authentication policy (or none). */
    private static String callWorkflow(String name, String url, String authentication) {
        return String.join("\n", "document:", "  dsl: '1.0.0'", "  namespace: bench", "  name: " + name,
                "  version: '0.1.0'", "use:", "  secrets: [bench-token, bench-client]", "do:",
                "  - fetch:", "      call: http", "      with:", "        method: get", "        endpoint:",
                "          uri: " + url) + (authentication == null ? "\n"
                : "\n          authentication: " + authentication + "\n");
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.runstream.schemas");
        if (args.length > 0 && args[0].equals("view")) {
            ViewBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("records")) {
            RecordsBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("parked")) {
            ParkedBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("soak")) {
            SoakBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("sweep")) {
            SweepBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (args.length > 0 && args[0].equals("fairness")) {
            FairnessBench.run(parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Map<String, String> opts = parse(args);
        String workflow = opts.getOrDefault("workflow", "set");
        if (workflow.equals("emit")) {
            workflowId = "bench-emit";
            run(opts, EMIT_WORKFLOW);
            return;
        }
        if (java.util.Set.of("call", "bearer", "oauth2").contains(workflow)) {
            try (LoopbackEndpoint endpoint = LoopbackEndpoint.start()) {
                workflowId = "bench-" + workflow;
                String ingress = opts.getOrDefault("ingress", "http://127.0.0.1:8080");
                String key = opts.getOrDefault("api-key", "rs_dev_default_key");
                putSecret(ingress, key, "bench-token", "{\"token\":\"bench-secret-token\"}");
                putSecret(ingress, key, "bench-client", "{\"id\":\"bench\",\"secret\":\"bench-client-secret\"}");
                String authentication = switch (workflow) {
                    case "bearer" -> "{bearer: {use: bench-token}}";
                    case "oauth2" -> "{oauth2: {authority: '" + endpoint.url("") + "', grant: client_credentials, "
                            + "client: {id: '${ $secrets[\"bench-client\"].id }', "
                            + "secret: '${ $secrets[\"bench-client\"].secret }'}}}";
                    default -> null;
                };
                run(opts, callWorkflow(workflowId, endpoint.url("/ok"), authentication));
                System.out.printf("the endpoint answered %d calls and %d token requests%n", endpoint.served(),
                        endpoint.tokens());
            }
            return;
        }
        if (!workflow.equals("set") && !workflow.equals("five")) {
            throw new IllegalArgumentException("--workflow must be set, five, emit, call, bearer or oauth2, not "
                    + workflow);
        }
        try (LoopbackEndpoint endpoint = workflow.equals("five") ? LoopbackEndpoint.start() : null) {
            workflowId = endpoint == null ? "bench" : "bench-five";
            run(opts, endpoint == null ? BENCH_WORKFLOW : fiveTaskWorkflow(endpoint.url("/ok")));
            if (endpoint != null) {
                System.out.printf("The bench's endpoint answered %d requests%n", endpoint.served());
            }
        }
    }

    private static void putSecret(String ingress, String key, String name, String value) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ingress + "/v1/secrets/" + name)).header("X-API-Key", key)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"value\":" + value + "}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Could not store secret " + name + ": " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static void run(Map<String, String> opts, String definition) throws Exception {
        String ingress = opts.getOrDefault("ingress", "http://127.0.0.1:8080");
        String kafka = opts.getOrDefault("kafka", "127.0.0.1:9092");
        String registry = opts.getOrDefault("registry", "http://127.0.0.1:8085/apis/ccompat/v7");
        apiKey = opts.getOrDefault("api-key", "rs_dev_default_key");
        int requests = Integer.parseInt(opts.getOrDefault("requests", "10000"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "64"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2000"));
        String direct = opts.get("direct");
        HttpLoad load = new HttpLoad(concurrency);
        Stats defined = load.run("define workflow", 1, n -> new HttpLoad.Request(HttpMethod.PUT,
                ingress + "/v1/workflows/" + workflowId, Map.of("Content-Type", "application/yaml", "X-API-Key",
                        apiKey), definition),
                HttpLoad.ResponseHook.NONE);
        if (defined.errors() > 0) {
            throw new IllegalStateException("Could not define the workflow " + workflowId + " at " + ingress);
        }
        String body = WaitingStarts.INPUT;

        System.out.printf("Runstream bench: workflow %s, %d requests, %d in flight, %d warm-up, %d cores%n",
                workflowId, requests, concurrency, warmup, Runtime.getRuntime().availableProcessors());
        Stats kafkaStats;
        Stats httpStats;
        Stats accepted;
        Stats completed;
        List<Stats> edge;
        try (StatusWatcher watcher = new StatusWatcher(kafka, registry, "runstream.executions.status")) {
            watcher.awaitAssignment();
            Batch warm = Batch.post(load, "warm-up", warmup, ingress, body);
            awaitCompletion(watcher, warm);
            if (direct != null) {
                awaitCompletion(watcher, Batch.post(load, "warm-up (direct)", warmup, direct, body));
            }

            kafkaStats = KafkaBaseline.run(kafka, requests * 5, 300);
            httpStats = load.run("trivial HTTP endpoint (GET /actuator/info)", requests,
                    n -> HttpLoad.Request.get(ingress + "/actuator/info"), HttpLoad.ResponseHook.NONE);

            Batch measured = Batch.post(load, "POST executions (201 accepted)", requests, ingress, body);
            accepted = measured.stats();
            completed = awaitCompletion(watcher, measured);
            edge = direct == null ? null : compareEdge(load, watcher, ingress, direct, requests, body);
        }
        int syncRequests = Integer.parseInt(opts.getOrDefault("sync-requests", "0"));
        Stats sync = syncRequests > 0 ? startAndWait(load, syncRequests, ingress) : null;

        System.out.println();
        System.out.println(Stats.header());
        for (Stats s : new Stats[] {kafkaStats, httpStats, accepted, completed, sync}) {
            if (s != null) {
                System.out.println(s.row());
            }
        }
        if (edge != null) {
            edge.forEach(s -> System.out.println(s.row()));
            double viaApi = (edge.get(0).perSecond() + edge.get(2).perSecond()) / 2;
            double viaIngress = (edge.get(1).perSecond() + edge.get(3).perSecond()) / 2;
            System.out.printf("the edge: POST through the API URL %.0f/s, direct to the ingress %.0f/s: %.0f %%%n",
                    viaApi, viaIngress, 100 * viaApi / viaIngress);
        }
    }

    /**
     * The same starts through the API URL and straight to the ingress, in turns (API, ingress, API, ingress), each
     * batch run to its end, so that neither side has the warmer JIT or the emptier log: the accept rows of all four.
     */
    private static List<Stats> compareEdge(HttpLoad load, StatusWatcher watcher, String api, String direct,
            int requests, String body) throws InterruptedException {
        List<Stats> rows = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            for (String url : List.of(api, direct)) {
                String name = (url.equals(api) ? "POST via the API URL" : "POST direct to the ingress")
                        + ", round " + round;
                Batch batch = Batch.post(load, name, requests, url, body);
                awaitCompletion(watcher, batch);
                rows.add(batch.stats());
            }
        }
        return rows;
    }

    /**
     * Starts that wait for their result ({@code ?waitForTerminalSeconds=30}): each request's latency is from POST to
     * the terminal view, as any HTTP load tool would measure it. A start answered 201 (still running after the wait)
     * counts as an error, so the row's rate is of executions that ended within the answer.
     */
    private static Stats startAndWait(HttpLoad load, int count, String ingress) {
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        Stats stats = load.run("POST ?waitForTerminalSeconds=30 (answered ended)", count,
                new WaitingStarts(ingress, workflowId, apiKey)::request, WaitingStarts.countRunning(running));
        System.out.printf("starts that wait: %d answered, %d of them still running after the wait, %d errors%n",
                count - stats.errors(), running.get(), stats.errors());
        return running.get() == 0 ? stats : stats.withErrors(stats.errors() + running.get());
    }

    /** Executions started in one go: its name, their ids, when each was sent, and the accept statistics. */
    private record Batch(String name, String[] ids, long[] sentAt, Stats stats) {

        static Batch post(HttpLoad load, String name, int count, String ingress, String body) {
            String[] ids = new String[count];
            long[] sentAt = new long[count];
            String run = UUID.randomUUID().toString();
            Stats stats = load.run(name, count, n -> start(ingress, run + "-" + n, body), (n, sent, response) -> {
                Matcher m = EXECUTION_ID.matcher(response);
                if (m.find()) {
                    ids[n] = m.group(1);
                    sentAt[n] = sent;
                }
            });
            return new Batch(name, ids, sentAt, stats);
        }
    }

    private static Stats awaitCompletion(StatusWatcher watcher, Batch batch) throws InterruptedException {
        String[] ids = batch.ids();
        long[] sentAt = batch.sentAt();
        long deadline = System.nanoTime() + 120_000_000_000L;
        long first = Long.MAX_VALUE;
        for (long s : sentAt) {
            first = s > 0 ? Math.min(first, s) : first;
        }
        int missing;
        do {
            missing = 0;
            for (String id : ids) {
                if (id != null && watcher.finishedAt(id) == null) {
                    missing++;
                }
            }
            if (missing > 0) {
                Thread.sleep(100);
            }
        } while (missing > 0 && System.nanoTime() < deadline);
        long last = first;
        long[] latencies = new long[ids.length];
        int done = 0;
        for (int i = 0; i < ids.length; i++) {
            Long finished = ids[i] == null ? null : watcher.finishedAt(ids[i]);
            if (finished != null) {
                latencies[done++] = (finished - sentAt[i]) / 1000;
                last = Math.max(last, finished);
            }
        }
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        for (String id : ids) {
            if (id != null && watcher.terminalStatus(id) != null) {
                statuses.merge(watcher.terminalStatus(id).name(), 1, Integer::sum);
            }
        }
        System.out.printf("%s: %d terminal %s%n", batch.name(), done, statuses);
        return new Stats("executions completed end to end (POST->terminal)", done, ids.length - done,
                (last - first) / 1e9, java.util.Arrays.copyOf(latencies, done));
    }

    private static HttpLoad.Request start(String ingress, String key, String body) {
        return new HttpLoad.Request(HttpMethod.POST, ingress + "/v1/workflows/" + workflowId + "/executions",
                Map.of("Content-Type", "application/json", "Idempotency-Key", key, "X-API-Key", apiKey), body);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opts;
    }
}
