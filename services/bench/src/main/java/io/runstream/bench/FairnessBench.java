package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import io.runstream.schemas.ExecutionStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Whether one tenant's slow calls starve another's: times tenant B's one-call execution (a GET to a quick endpoint
 * the bench serves), one at a time, first alone, then while tenant A's execution holds the runner's slots with a
 * fork of {@code --slow-calls} calls to an endpoint that sends one byte every {@code --dribble-ms} and never ends
 * (each branch calls it {@code --rounds} times). Prints B's p50 and p99 in both phases on one line.
 * Options: --samples N --warmup N --slow-calls N --rounds N --dribble-ms N --ingress URL --kafka HOST:PORT
 * --registry URL --api-key KEY (tenant A) --other-api-key KEY (tenant B, another tenant).
 */
final class FairnessBench {

    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");
    private static final String STATUS_TOPIC = "runstream.executions.status";
    private static final String SLOW = "bench-fair-slow";
    private static final String QUICK = "bench-fair-quick";

    private FairnessBench() {
    }

    /** The options of one run. */
    private record Options(int samples, int warmup, int slowCalls, int rounds, Duration dribble, String ingress,
            String kafka, String registry, String keyA, String keyB) {

        static Options from(Map<String, String> opts) {
            return new Options(Integer.parseInt(opts.getOrDefault("samples", "100")),
                    Integer.parseInt(opts.getOrDefault("warmup", "20")),
                    Integer.parseInt(opts.getOrDefault("slow-calls", "260")),
                    Integer.parseInt(opts.getOrDefault("rounds", "3")),
                    Duration.ofMillis(Long.parseLong(opts.getOrDefault("dribble-ms", "10000"))),
                    opts.getOrDefault("ingress", "http://127.0.0.1:8080"),
                    opts.getOrDefault("kafka", "127.0.0.1:9092"),
                    opts.getOrDefault("registry", "http://127.0.0.1:8085/apis/ccompat/v7"),
                    opts.getOrDefault("api-key", "rs_dev_default_key"),
                    opts.getOrDefault("other-api-key", "rs_dev_other_key"));
        }
    }

    static void run(Map<String, String> args) throws Exception {
        Options o = Options.from(args);
        HttpLoad http = new HttpLoad(1);
        try (LoopbackEndpoint quick = LoopbackEndpoint.start();
                DribblingEndpoint slow = new DribblingEndpoint(o.dribble());
                StatusWatcher watcher = new StatusWatcher(o.kafka(), o.registry(), STATUS_TOPIC)) {
            define(http, o, o.keyA(), SLOW, slowFork(slow.url("/slow"), o.slowCalls(), o.rounds()));
            define(http, o, o.keyB(), QUICK, String.join("\n", "document:", "  dsl: '1.0.0'",
                    "  namespace: bench", "  name: " + QUICK, "  version: '0.1.0'", "do:", "  - fetch:",
                    "      call: http", "      with:", "        method: get", "        endpoint: " + quick.url("/ok"),
                    ""));
            watcher.awaitAssignment();
            Thread.sleep(3000); // the definitions reach the worker's copy of the catalog before the first start
            System.out.printf("Runstream fairness: tenant B's one-call execution, %d samples one at a time, alone and"
                    + " while tenant A's fork of %d calls (%d rounds each) to an endpoint sending a byte every %d ms"
                    + " holds the runner; %d cores%n", o.samples(), o.slowCalls(), o.rounds(),
                    o.dribble().toMillis(), Runtime.getRuntime().availableProcessors());

            sample(http, o, watcher, "warm-up", o.warmup());
            Stats alone = sample(http, o, watcher, "tenant B alone", o.samples());

            String a = start(http, o, o.keyA(), SLOW);
            int held = awaitPlateau(slow);
            System.out.printf("Tenant A holds %d calls open at the slow endpoint%n", held);
            Stats shared = sample(http, o, watcher, "tenant B, tenant A's calls hanging", o.samples());
            int heldAfter = slow.open();
            stop(http, o, a);

            System.out.println();
            System.out.println(Stats.header());
            System.out.println(alone.row());
            System.out.println(shared.row());
            System.out.printf("%nfairness: tenant B one-call execution p50 / p99 alone %.1f / %.1f ms; with tenant A"
                    + " holding %d-%d calls open %.1f / %.1f ms (%d and %d of %d not SUCCEEDED)%n",
                    alone.percentileMillis(50), alone.percentileMillis(99), Math.min(held, heldAfter),
                    Math.max(held, heldAfter), shared.percentileMillis(50), shared.percentileMillis(99),
                    alone.errors(), shared.errors(), o.samples());
        }
    }

    /** A fork of {@code calls} branches, each calling {@code url} {@code rounds} times and catching each failure. */
    private static String slowFork(String url, int calls, int rounds) {
        String rounds1 = IntStream.rangeClosed(1, rounds).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]"));
        String branches = IntStream.range(0, calls).mapToObj(i -> String.join("\n",
                "          - b" + i + ":",
                "              for:",
                "                in: '${ " + rounds1 + " }'",
                "              do:",
                "                - attempt:",
                "                    try:",
                "                      - call:",
                "                          call: http",
                "                          with: {method: get, endpoint: \"" + url + "\"}",
                "                    catch:",
                "                      as: failure",
                "                      do:",
                "                        - note:",
                "                            set: {status: '${ $failure.status }'}",
                "")).collect(Collectors.joining());
        return String.join("\n", "document:", "  dsl: '1.0.0'", "  namespace: bench", "  name: " + SLOW,
                "  version: '0.1.0'", "do:", "  - all:", "      fork:", "        branches:", "") + branches;
    }

    private static void define(HttpLoad http, Options o, String key, String workflowId, String definition) {
        Stats defined = http.run("define " + workflowId, 1, n -> new HttpLoad.Request(HttpMethod.PUT,
                o.ingress() + "/v1/workflows/" + workflowId,
                Map.of("Content-Type", "application/yaml", "X-API-Key", key), definition), HttpLoad.ResponseHook.NONE);
        if (defined.errors() > 0) {
            throw new IllegalStateException("Could not define the workflow " + workflowId + " at " + o.ingress());
        }
    }

    private static String start(HttpLoad http, Options o, String key, String workflowId) {
        AtomicReference<String> id = new AtomicReference<>();
        http.run("start " + workflowId, 1, n -> new HttpLoad.Request(HttpMethod.POST,
                o.ingress() + "/v1/workflows/" + workflowId + "/executions", Map.of("Content-Type",
                        "application/json", "Idempotency-Key", UUID.randomUUID().toString(), "X-API-Key", key),
                "{\"inputData\":{}}"), (n, sent, body) -> {
                    Matcher m = EXECUTION_ID.matcher(body);
                    if (m.find()) {
                        id.set(m.group(1));
                    }
                });
        return id.get();
    }

    private static void stop(HttpLoad http, Options o, String executionId) {
        if (executionId != null) {
            http.run("stop", 1, n -> new HttpLoad.Request(HttpMethod.POST, o.ingress() + "/v1/executions/"
                    + executionId + "/stop", Map.of("Content-Type", "application/json", "X-API-Key", o.keyA()),
                    "{\"reason\":\"bench done\"}"), HttpLoad.ResponseHook.NONE);
        }
    }

    /** Tenant B's executions one at a time: each from its POST to its terminal status on the status topic. */
    private static Stats sample(HttpLoad http, Options o, StatusWatcher watcher, String name, int count)
            throws InterruptedException {
        long[] latencies = new long[count];
        int done = 0;
        int errors = 0;
        long began = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            String id = start(http, o, o.keyB(), QUICK);
            long deadline = sent + Duration.ofMinutes(2).toNanos();
            while (id != null && watcher.finishedAt(id) == null && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Long finished = id == null ? null : watcher.finishedAt(id);
            if (finished == null || watcher.terminalStatus(id) != ExecutionStatus.SUCCEEDED) {
                errors++;
            }
            if (finished != null) {
                latencies[done++] = (finished - sent) / 1000;
            }
        }
        return new Stats(name, done, errors, (System.nanoTime() - began) / 1e9, Arrays.copyOf(latencies, done));
    }

    /** Waits until the slow endpoint's open connections stop growing for 3 s (at most a minute); returns them. */
    private static int awaitPlateau(DribblingEndpoint slow) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int open = slow.open();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline && (open == 0 || System.nanoTime() - since < 3_000_000_000L)) {
            Thread.sleep(100);
            if (slow.open() != open) {
                open = slow.open();
                since = System.nanoTime();
            }
        }
        return open;
    }
}
