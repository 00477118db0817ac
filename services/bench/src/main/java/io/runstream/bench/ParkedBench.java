package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import io.runstream.schemas.ExecutionRequested;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.serde.AvroSerializer;
import io.runstream.schemas.serde.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What parked executions cost: defines a workflow of one {@code wait} and one {@code set}, measures the idle stack,
 * produces {@code --executions} ExecutionRequested records straight to the commands topic, waits until all are
 * RUNNING and {@code --settle-seconds} more (the projection and changelogs catch up), measures the stack process's
 * CPU (% of one core, from /proc), its RSS and the worker's state directory while they are parked, then waits until
 * they end when their wait is due and times the resume.
 * With {@code --park listen}, each execution parks on a {@code listen} for an event correlated with its own key
 * instead; once measured, one event per execution is sent through {@code POST /v1/events} as fast as the ingress
 * takes them ({@code --concurrency} in flight), and the bench prints the events correlated per second and the time
 * from each event's acceptance (its 202) to its execution's terminal status.
 * Options: --pid P (the JVM the worker runs in) --state-dir D (its Kafka Streams state dir) --executions N
 * --park wait|listen --wait ISO-8601 --measure-seconds N --baseline-seconds N --settle-seconds N
 * --start-timeout-seconds N --resume-timeout-seconds N --concurrency N --ingress URL --kafka HOST:PORT
 * --registry URL --api-key KEY.
 */
final class ParkedBench {

    private static final String WORKFLOW_ID = "bench-parked";
    private static final String COMMANDS_TOPIC = "runstream.executions.commands";
    private static final String STATUS_TOPIC = "runstream.executions.status";

    private ParkedBench() {
    }

    /** The options of one run. */
    private record Options(int executions, Duration waitFor, Duration measure, Duration baseline, Duration settle,
            Duration startTimeout, Duration resumeTimeout, long pid, Path stateDir, String ingress, String kafka,
            String registry, String apiKey, boolean listen, int concurrency) {

        static Options from(Map<String, String> opts) {
            if (!opts.containsKey("pid") || !opts.containsKey("state-dir")) {
                throw new IllegalArgumentException("parked needs --pid P (the dev stack JVM) and --state-dir D"
                        + " (the worker's state dir, $RUNSTREAM_DATA_DIR/worker-state)");
            }
            return new Options(Integer.parseInt(opts.getOrDefault("executions", "1000")),
                    Duration.parse(opts.getOrDefault("wait", "PT3M")),
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("measure-seconds", "60"))),
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("baseline-seconds", "30"))),
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("settle-seconds", "10"))),
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("start-timeout-seconds", "900"))),
                    Duration.ofSeconds(Long.parseLong(opts.getOrDefault("resume-timeout-seconds", "600"))),
                    Long.parseLong(opts.get("pid")), Path.of(opts.get("state-dir")),
                    opts.getOrDefault("ingress", "http://127.0.0.1:8080"),
                    opts.getOrDefault("kafka", "127.0.0.1:9092"),
                    opts.getOrDefault("registry", "http://127.0.0.1:8085/apis/ccompat/v7"),
                    opts.getOrDefault("api-key", "rs_dev_default_key"),
                    opts.getOrDefault("park", "wait").equals("listen"),
                    Integer.parseInt(opts.getOrDefault("concurrency", "64")));
        }
    }

    /** The disk the parked executions take: the worker's state dir and the bytes of its changelog topics. */
    private record Footprint(long stateDirBytes, long changelogBytes) {
    }

    /** How the resume went: due times from the RUNNING events, terminal times and statuses from the ending ones. */
    private record Resume(int terminal, Map<String, Integer> statuses, long firstDueMillis, long lastDueMillis,
            long lastTerminalMillis, long lastSeenMillis, long[] lagMillis) {
    }

    static void run(Map<String, String> args) throws Exception {
        Options o = Options.from(args);
        ProcessProbe probe = new ProcessProbe(o.pid());
        ProcessProbe.directoryBytes(o.stateDir()); // fails now if the state dir is wrong
        try (StatusWatcher watcher = new StatusWatcher(o.kafka(), o.registry(), STATUS_TOPIC);
                Admin admin = Admin.create(Map.of("bootstrap.servers", o.kafka()))) {
            watcher.awaitAssignment();
            define(o);
            Thread.sleep(3000); // the definition reaches the worker's copy of the catalog before the first start
            System.out.printf("Runstream parked: %d executions of %s then set, process %d (%d clock ticks/s),"
                    + " state dir %s, %d cores%n", o.executions(), o.listen() ? "a listen on its own key"
                    : "wait " + o.waitFor(), o.pid(), probe.ticksPerSecond(), o.stateDir(),
                    Runtime.getRuntime().availableProcessors());

            Footprint idleDisk = footprint(o, admin);
            System.out.printf("Measuring the idle stack for %d s...%n", o.baseline().toSeconds());
            ProcessProbe.Window idle = probe.measure(o.baseline());

            System.out.printf("Producing %d ExecutionRequested records to %s...%n", o.executions(), COMMANDS_TOPIC);
            long began = System.nanoTime();
            String[] ids = produce(o);
            double produceSeconds = (System.nanoTime() - began) / 1e9;
            System.out.printf("Produced in %.1f s; waiting until all are RUNNING...%n", produceSeconds);
            int[] started = awaitRunning(watcher, ids, o.startTimeout());
            double runningSeconds = (System.nanoTime() - began) / 1e9;
            System.out.printf("%d RUNNING (%d ended early) %.1f s after the first record was sent%n", started[0],
                    started[1], runningSeconds);

            Thread.sleep(o.settle().toMillis());
            if (o.listen()) {
                System.out.printf("Measuring the parked stack for %d s...%n", o.measure().toSeconds());
                ProcessProbe.Window parked = probe.measure(o.measure());
                Footprint parkedDisk = footprint(o, admin);
                print(o, probe, produceSeconds, runningSeconds, started, idle, parked, idleDisk, parkedDisk,
                        new Resume(0, Map.of(), 0, 0, 0, 0, new long[0]));
                correlate(o, watcher, ids);
                return;
            }
            long firstDue = firstDue(watcher, ids, o.waitFor());
            long measureEnds = System.currentTimeMillis() + o.measure().toMillis();
            if (measureEnds > firstDue) {
                System.out.printf("WARNING: the measurement ends %.1f s after the first wait is due: it includes"
                        + " resumes%n", (measureEnds - firstDue) / 1000.0);
            }
            System.out.printf("Measuring the parked stack for %d s...%n", o.measure().toSeconds());
            ProcessProbe.Window parked = probe.measure(o.measure());
            Footprint parkedDisk = footprint(o, admin);

            System.out.printf("Waiting for the waits to end (first due in %.0f s)...%n",
                    (firstDue - System.currentTimeMillis()) / 1000.0);
            Resume resume = awaitTerminal(watcher, ids, o.waitFor(), o.resumeTimeout());
            print(o, probe, produceSeconds, runningSeconds, started, idle, parked, idleDisk, parkedDisk, resume);
        }
    }

    /**
     * Sends one event per execution, correlated with its key, through the ingress as fast as it takes them, and
     * times each from its acceptance to its execution's terminal status.
     */
    private static void correlate(Options o, StatusWatcher watcher, String[] ids) throws InterruptedException {
        long[] accepted = new long[ids.length];
        System.out.printf("Sending %d events through %s/v1/events, %d in flight...%n", ids.length, o.ingress(),
                o.concurrency());
        long began = System.currentTimeMillis();
        Stats sent = new HttpLoad(o.concurrency()).run("send events", ids.length, n -> new HttpLoad.Request(
                HttpMethod.POST, o.ingress() + "/v1/events", Map.of("Content-Type", "application/cloudevents+json",
                "X-API-Key", o.apiKey()), "{\"specversion\":\"1.0\",\"id\":\"settled-" + n + "\",\"source\":"
                + "\"https://bench.example\",\"type\":\"bench.settled\",\"data\":{\"key\":\"" + ids[n] + "\"}}"),
                (n, sentNanos, body) -> accepted[n] = System.currentTimeMillis());
        double sendSeconds = (System.currentTimeMillis() - began) / 1000.0;
        long deadline = System.currentTimeMillis() + o.resumeTimeout().toMillis();
        int done = 0;
        while (System.currentTimeMillis() < deadline) {
            done = 0;
            for (String id : ids) {
                done += watcher.terminalStatus(id) == null ? 0 : 1;
            }
            if (done == ids.length) {
                break;
            }
            Thread.sleep(200);
        }
        List<Long> lags = new ArrayList<>();
        long lastTerminal = Long.MIN_VALUE;
        Map<String, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            ExecutionStatus status = watcher.terminalStatus(ids[i]);
            if (status == null || accepted[i] == 0) {
                continue;
            }
            statuses.merge(status.name(), 1, Integer::sum);
            long ended = watcher.terminalOccurredAt(ids[i]);
            lastTerminal = Math.max(lastTerminal, ended);
            lags.add(ended - accepted[i]);
        }
        long[] lag = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        String format = "%-62s %s%n";
        System.out.printf(format, "events accepted by the ingress (202)", String.format("%d in %.1f s (%.0f/s), %d"
                + " errors", ids.length - sent.errors(), sendSeconds, (ids.length - sent.errors()) / sendSeconds,
                sent.errors()));
        System.out.printf(format, "executions ended by their event", String.format("%d of %d %s", done, ids.length,
                statuses));
        if (lag.length > 0) {
            double span = (lastTerminal - began) / 1000.0;
            System.out.printf(format, "events correlated per second (first sent -> last terminal)",
                    String.format("%.0f/s over %.1f s", lag.length / span, span));
            System.out.printf(format, "event accepted -> execution's terminal status, p50 / p99 / max",
                    String.format("%.3f / %.3f / %.3f s", percentile(lag, 50) / 1000.0, percentile(lag, 99) / 1000.0,
                            percentile(lag, 100) / 1000.0));
        }
    }

    private static void define(Options o) {
        String park = o.listen()
                ? String.join("\n", "      listen:", "        to:", "          one:",
                        "            with: {type: bench.settled, source: 'https://bench.example'}", "            correlate:",
                        "              key: {from: .data.key, expect: '${ .key }'}")
                : "      wait: " + o.waitFor();
        String definition = String.join("\n", "document:", "  dsl: '1.0.0'", "  namespace: bench",
                "  name: " + WORKFLOW_ID, "  version: '0.1.0'", "do:", "  - park:", park,
                "  - done:", "      set:", "        done: true", "");
        Stats defined = new HttpLoad(1).run("define workflow", 1, n -> new HttpLoad.Request(HttpMethod.PUT,
                o.ingress() + "/v1/workflows/" + WORKFLOW_ID,
                Map.of("Content-Type", "application/yaml", "X-API-Key", o.apiKey()), definition),
                HttpLoad.ResponseHook.NONE);
        if (defined.errors() > 0) {
            throw new IllegalStateException("Could not define the workflow " + WORKFLOW_ID + " at " + o.ingress());
        }
    }

    /** Sends every start without waiting for each; returns the execution ids once all are acknowledged. */
    private static String[] produce(Options o) throws InterruptedException {
        String[] ids = new String[o.executions()];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch acked = new CountDownLatch(ids.length);
        var serializer = new AvroSerializer<ExecutionRequested>(SchemaRegistry.forUrl(o.registry()));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", o.kafka(), "acks", "all",
                "enable.idempotence", true, "linger.ms", 5, "batch.size", 131072), new StringSerializer(),
                serializer)) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = UUID.randomUUID().toString();
                ExecutionRequested request = ExecutionRequested.newBuilder().setExecutionId(ids[i])
                        .setTenant("default").setWorkflowId(WORKFLOW_ID).setWorkflowVersion(null)
                        .setDefinition(null).setInputJson(o.listen() ? "{\"key\":\"" + ids[i] + "\"}" : "{}")
                        .setRequestedAt(Instant.now())
                        .setMetadata(Map.of()).build();
                producer.send(new ProducerRecord<>(COMMANDS_TOPIC, ids[i], request), (metadata, failure) -> {
                    if (failure != null) {
                        errors.incrementAndGet();
                    }
                    acked.countDown();
                });
            }
            acked.await();
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " of " + ids.length + " starts were not produced");
        }
        return ids;
    }

    /** Waits until each execution is RUNNING or has ended; returns {running, ended without running}. */
    private static int[] awaitRunning(StatusWatcher watcher, String[] ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int running;
        int ended;
        long lastReport = System.nanoTime();
        while (true) {
            running = 0;
            ended = 0;
            for (String id : ids) {
                if (watcher.runningOccurredAt(id) != null) {
                    running++;
                } else if (watcher.terminalStatus(id) != null) {
                    ended++;
                }
            }
            if (running + ended == ids.length || System.nanoTime() > deadline) {
                return new int[] {running, ended};
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                System.out.printf("  %d of %d RUNNING so far%n", running, ids.length);
                lastReport = System.nanoTime();
            }
            Thread.sleep(200);
        }
    }

    private static long firstDue(StatusWatcher watcher, String[] ids, Duration wait) {
        long first = Long.MAX_VALUE;
        for (String id : ids) {
            Long running = watcher.runningOccurredAt(id);
            first = running == null ? first : Math.min(first, running + wait.toMillis());
        }
        return first;
    }

    /** Waits until every execution that went RUNNING has ended, or the last due time plus the timeout has passed. */
    private static Resume awaitTerminal(StatusWatcher watcher, String[] ids, Duration wait, Duration timeout)
            throws InterruptedException {
        long firstDue = Long.MAX_VALUE;
        long lastDue = Long.MIN_VALUE;
        for (String id : ids) {
            Long running = watcher.runningOccurredAt(id);
            if (running != null) {
                firstDue = Math.min(firstDue, running + wait.toMillis());
                lastDue = Math.max(lastDue, running + wait.toMillis());
            }
        }
        long deadline = lastDue + timeout.toMillis();
        long lastReport = System.currentTimeMillis();
        boolean missing = true;
        while (missing && System.currentTimeMillis() < deadline) {
            int open = 0;
            for (String id : ids) {
                if (watcher.runningOccurredAt(id) != null && watcher.terminalStatus(id) == null) {
                    open++;
                }
            }
            missing = open > 0;
            if (missing) {
                if (System.currentTimeMillis() - lastReport > 30_000 && System.currentTimeMillis() > firstDue) {
                    System.out.printf("  %d still parked%n", open);
                    lastReport = System.currentTimeMillis();
                }
                Thread.sleep(200);
            }
        }
        Map<String, Integer> statuses = new TreeMap<>();
        List<Long> lags = new ArrayList<>();
        long lastTerminal = Long.MIN_VALUE;
        long lastSeen = Long.MIN_VALUE;
        for (String id : ids) {
            Long running = watcher.runningOccurredAt(id);
            ExecutionStatus status = watcher.terminalStatus(id);
            if (running == null || status == null) {
                continue;
            }
            statuses.merge(status.name(), 1, Integer::sum);
            long ended = watcher.terminalOccurredAt(id);
            lastTerminal = Math.max(lastTerminal, ended);
            lastSeen = Math.max(lastSeen, watcher.terminalSeenAt(id));
            lags.add(ended - (running + wait.toMillis()));
        }
        long[] lagMillis = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Resume(lagMillis.length, statuses, firstDue, lastDue, lastTerminal, lastSeen, lagMillis);
    }

    private static Footprint footprint(Options o, Admin admin) throws Exception {
        return new Footprint(ProcessProbe.directoryBytes(o.stateDir()), changelogBytes(admin));
    }

    /** The bytes on the brokers' disks of the worker's changelog topics (all their segments, not yet compacted). */
    private static long changelogBytes(Admin admin) throws ExecutionException, InterruptedException {
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (topic.startsWith("runstream-worker-") && topic.endsWith("-changelog")) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    private static void print(Options o, ProcessProbe probe, double produceSeconds, double runningSeconds,
            int[] started, ProcessProbe.Window idle, ProcessProbe.Window parked, Footprint idleDisk,
            Footprint parkedDisk, Resume r) {
        int n = Math.max(1, started[0]);
        String format = "%-62s %s%n";
        System.out.println();
        System.out.printf(format, "figure", "value");
        System.out.printf(format, "starts produced to the commands topic",
                String.format("%d in %.1f s (%.0f/s)", o.executions(), produceSeconds,
                        o.executions() / produceSeconds));
        System.out.printf(format, "all RUNNING after (from the first record sent)",
                String.format("%.1f s (%d RUNNING, %d ended without parking)", runningSeconds, started[0],
                        started[1]));
        System.out.printf(format, "process " + probe.pid() + " CPU, idle stack (" + Math.round(idle.seconds()) + " s)",
                String.format("%.2f %% of one core", idle.processCorePercent()));
        System.out.printf(format, "process CPU, " + started[0] + " parked (" + Math.round(parked.seconds()) + " s)",
                String.format("%.2f %% of one core", parked.processCorePercent()));
        System.out.printf(format, "parked cost (parked - idle)",
                String.format("%.2f %% of one core", parked.processCorePercent() - idle.processCorePercent()));
        System.out.printf(format, "the worker's threads in it, idle / parked",
                String.format("%.2f %% / %.2f %% of one core", idle.workerCorePercent(),
                        parked.workerCorePercent()));
        System.out.printf(format, "whole stack (with PostgreSQL and the registry), idle / parked",
                String.format("%.2f %% / %.2f %% of one core", idle.stackCorePercent(), parked.stackCorePercent()));
        System.out.printf(format, "machine busy, idle / parked (all cores, any process)",
                String.format("%.1f %% / %.1f %%", idle.machineBusyPercent(), parked.machineBusyPercent()));
        System.out.printf(format, "process RSS (VmRSS), idle / parked (max)",
                String.format("%s / %s (%s)", mb(idle.rssEndBytes()), mb(parked.rssEndBytes()),
                        mb(parked.rssMaxBytes())));
        System.out.printf(format, "worker state dir, idle / parked",
                String.format("%s / %s", mb(idleDisk.stateDirBytes()), mb(parkedDisk.stateDirBytes())));
        System.out.printf(format, "state dir per parked execution (size / N; growth / N)",
                String.format("%d B; %d B", parkedDisk.stateDirBytes() / n,
                        (parkedDisk.stateDirBytes() - idleDisk.stateDirBytes()) / n));
        System.out.printf(format, "worker changelogs on the broker, growth per parked execution",
                String.format("%d B (%s in all)", (parkedDisk.changelogBytes() - idleDisk.changelogBytes()) / n,
                        mb(parkedDisk.changelogBytes())));
        if (o.listen()) {
            return;
        }
        System.out.printf(format, "terminal after their wait", String.format("%d of %d %s", r.terminal(),
                started[0], r.statuses()));
        if (r.terminal() > 0) {
            System.out.printf(format, "resume time: first due -> last terminal (its occurredAt)",
                    String.format("%.1f s (due times spread over %.1f s)",
                            (r.lastTerminalMillis() - r.firstDueMillis()) / 1000.0,
                            (r.lastDueMillis() - r.firstDueMillis()) / 1000.0));
            System.out.printf(format, "first due -> last terminal read by the bench",
                    String.format("%.1f s", (r.lastSeenMillis() - r.firstDueMillis()) / 1000.0));
            System.out.printf(format, "terminal after due (own due time), p50 / p99 / max",
                    String.format("%.2f / %.2f / %.2f s", percentile(r.lagMillis(), 50) / 1000.0,
                            percentile(r.lagMillis(), 99) / 1000.0, percentile(r.lagMillis(), 100) / 1000.0));
        }
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
