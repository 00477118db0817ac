package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import io.runstream.schemas.ExecutionStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * What one execution costs on Kafka: snapshots the end offsets of every runstream* topic, runs {@code --executions}
 * executions of a one-task workflow ({@code set}, or {@code http}: a GET to an endpoint the bench serves on
 * 127.0.0.1), waits until they are terminal and the changelogs have settled, then counts per topic the data records
 * written in between, next to the offsets advanced (which also count transaction markers and aborted records).
 * Options: --workflow set|http --executions N --ingress URL --kafka HOST:PORT --registry URL --api-key KEY
 * --concurrency N --settle-seconds N.
 */
final class RecordsBench {

    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");
    private static final String STATUS_TOPIC = "runstream.executions.status";
    private static final String BODY = "{\"inputData\":{\"orderId\":\"o-12345\",\"amount\":1500,\"currency\":\"BRL\"}}";

    private RecordsBench() {
    }

    static void run(Map<String, String> opts) throws Exception {
        String workflow = opts.getOrDefault("workflow", "set");
        if (!workflow.equals("set") && !workflow.equals("http")) {
            throw new IllegalArgumentException("--workflow must be set or http, not " + workflow);
        }
        int executions = Integer.parseInt(opts.getOrDefault("executions", "200"));
        String ingress = opts.getOrDefault("ingress", "http://127.0.0.1:8080");
        String kafka = opts.getOrDefault("kafka", "127.0.0.1:9092");
        String registry = opts.getOrDefault("registry", "http://127.0.0.1:8085/apis/ccompat/v7");
        String apiKey = opts.getOrDefault("api-key", "rs_dev_default_key");
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "16"));
        int settleSeconds = Integer.parseInt(opts.getOrDefault("settle-seconds", "5"));
        String workflowId = "bench-records-" + workflow;
        HttpLoad load = new HttpLoad(concurrency);

        try (LoopbackEndpoint endpoint = LoopbackEndpoint.start();
                RecordCounter counter = new RecordCounter(kafka);
                StatusWatcher watcher = new StatusWatcher(kafka, registry, STATUS_TOPIC)) {
            Stats defined = load.run("define workflow", 1, n -> new HttpLoad.Request(HttpMethod.PUT,
                    ingress + "/v1/workflows/" + workflowId,
                    Map.of("Content-Type", "application/yaml", "X-API-Key", apiKey),
                    definition(workflow, workflowId, endpoint.url("/ok"))), HttpLoad.ResponseHook.NONE);
            if (defined.errors() > 0) {
                throw new IllegalStateException("Could not define the workflow " + workflowId + " at " + ingress);
            }
            watcher.awaitAssignment();
            Thread.sleep(2000); // the definition reaches the worker's global store before the first start

            System.out.printf("Runstream records: workflow '%s' (%s), %d executions, %d in flight%n", workflow,
                    workflow.equals("set") ? "one set task" : "one call: http GET " + endpoint.url("/ok"),
                    executions, concurrency);
            System.out.println("The counts cover every record written to the cluster's " + RecordCounter.PREFIX
                    + "* topics between the two snapshots, by anything: run nothing else against this cluster"
                    + " meanwhile.");
            Map<TopicPartition, Long> start = counter.endOffsets();
            long began = System.nanoTime();
            String[] ids = new String[executions];
            String run = UUID.randomUUID().toString();
            Stats accepted = load.run("POST executions", executions, n -> new HttpLoad.Request(HttpMethod.POST,
                    ingress + "/v1/workflows/" + workflowId + "/executions", Map.of("Content-Type",
                            "application/json", "Idempotency-Key", run + "-" + n, "X-API-Key", apiKey), BODY),
                    (n, sent, response) -> {
                        Matcher m = EXECUTION_ID.matcher(response);
                        if (m.find()) {
                            ids[n] = m.group(1);
                        }
                    });
            Map<String, Integer> outcomes = awaitTerminal(watcher, ids, Duration.ofMinutes(3));
            double seconds = (System.nanoTime() - began) / 1e9;
            Thread.sleep(settleSeconds * 1000L);
            Map<TopicPartition, Long> end = counter.endOffsets();
            List<RecordCounter.TopicCount> counts = counter.count(start, end, Duration.ofSeconds(60));

            int terminal = outcomes.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%d accepted (%d errors), %d terminal %s in %.1f s, then %d s to settle%n",
                    accepted.count() - accepted.errors(), accepted.errors(), terminal, outcomes, seconds,
                    settleSeconds);
            if (workflow.equals("http")) {
                System.out.printf("The bench's endpoint answered %d requests%n", endpoint.served());
            }
            int started = (int) Arrays.stream(ids).filter(Objects::nonNull).count();
            print(counts, Math.max(1, started));
        }
    }

    private static String definition(String workflow, String workflowId, String url) {
        String task = workflow.equals("set")
                ? String.join("\n", "  - step:", "      set:", "        done: true")
                : String.join("\n", "  - fetch:", "      call: http", "      with:", "        method: get",
                        "        endpoint: " + url);
        return String.join("\n", "document:", "  dsl: '1.0.0'", "  namespace: bench", "  name: " + workflowId,
                "  version: '0.1.0'", "do:", task, "");
    }

    /** Waits until every started execution has a terminal status; the count of each terminal status seen. */
    private static Map<String, Integer> awaitTerminal(StatusWatcher watcher, String[] ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> outcomes = new TreeMap<>();
        boolean missing = true;
        while (missing && System.nanoTime() < deadline) {
            missing = false;
            for (String id : ids) {
                missing = missing || id != null && watcher.finishedAt(id) == null;
            }
            if (missing) {
                Thread.sleep(100);
            }
        }
        for (String id : ids) {
            ExecutionStatus status = id == null ? null : watcher.terminalStatus(id);
            if (status != null) {
                outcomes.merge(status.name(), 1, Integer::sum);
            }
        }
        return outcomes;
    }

    private static void print(List<RecordCounter.TopicCount> counts, int executions) {
        System.out.printf("%nPer execution: divided by the %d accepted executions%n", executions);
        String format = "%-52s %12s %10s %10s %10s  %s%n";
        System.out.println(String.format(format, "topic", "data records", "per exec", "offsets", "per exec", "")
                .stripTrailing());
        for (RecordCounter.TopicCount c : counts) {
            System.out.println(row(format, c, executions));
        }
        System.out.println(row(format, RecordCounter.TopicCount.sum("total", counts), executions));
        System.out.println("Data records are what a read_committed poll returns; offsets also count transaction"
                + " markers and aborted records.");
    }

    private static String row(String format, RecordCounter.TopicCount c, int executions) {
        return String.format(format, c.topic(), c.dataRecords(), String.format("%.2f", (double) c.dataRecords()
                        / executions), c.offsets(), String.format("%.2f", (double) c.offsets() / executions),
                c.unread() == 0 ? "" : c.unread() + " offsets unread (deleted or not reached)").stripTrailing();
    }
}
