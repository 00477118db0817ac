package io.runstream.bench;

import io.runstream.testkit.Infrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A soak: a steady rate of mixed workflows ({@code set}, HTTP calls, waits, fork, retries after failures, stops,
 * pauses and resumes, redrives) for {@code --minutes} on a 3-node Kafka cluster with two of each service, and one
 * fault every {@code --fault-every}, in turn: a broker killed, PostgreSQL frozen, the whole cluster killed,
 * PostgreSQL killed, the registry frozen, a worker frozen while a broker is down; each lasts {@code --outage}. At the
 * end: every execution started ended once, as its scenario says, with each side effect under one Idempotency-Key,
 * and each JVM's heap after GC, RSS, open files, threads and state stores flat (see {@link SoakSampler}).
 * Options: --minutes 30 --rate 10 (starts a second) --fault-every PT4M --outage PT30S --retention PT5M (how long
 * workers keep finished executions and the ingress idempotency keys: short, so their state reaches its steady size
 * within the run) --dir target/soak --services services (where the services' jars are built) --api-key
 * rs_dev_default_key.
 */
final class SoakBench {

    /** Something taken away, and how. */
    private record Fault(String name, FaultAction action) {
    }

    @FunctionalInterface
    private interface FaultAction {
        void apply(SoakStack stack, Duration outage) throws Exception;
    }

    private static final List<Fault> FAULTS = List.of(
            new Fault("broker killed", (stack, outage) -> {
                int node = stack.cluster.leaderOfMost("runstream.executions.status");
                stack.cluster.kill(node);
                sleep(outage);
                stack.cluster.restart(node);
            }),
            new Fault("PostgreSQL frozen", (stack, outage) -> {
                try (var frozen = stack.infra.freezePostgres()) {
                    sleep(outage);
                }
            }),
            new Fault("cluster killed", (stack, outage) -> {
                stack.cluster.killAll();
                sleep(outage);
                stack.cluster.startAll();
            }),
            new Fault("PostgreSQL killed", (stack, outage) -> {
                stack.infra.killPostgres();
                sleep(outage);
                stack.infra.restartPostgres();
            }),
            new Fault("registry frozen", (stack, outage) -> {
                try (var frozen = stack.infra.freezeRegistry()) {
                    sleep(outage);
                }
            }),
            new Fault("worker frozen, broker killed", (stack, outage) -> {
                int node = stack.cluster.leaderOfMost("runstream.executions.status");
                SoakStack.Service worker = stack.of("worker").get(0);
                stack.cluster.kill(node);
                SoakStack.signal(worker, "STOP");
                sleep(outage);
                SoakStack.signal(worker, "CONT");
                stack.cluster.restart(node);
            }));

    private static final java.time.format.DateTimeFormatter CLOCK =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    private SoakBench() {
    }

    static void run(Map<String, String> options) throws Exception {
        // The clients keep at most 32 idle connections, and close one idle for 30 s (the JDK keeps them all, for 20
        // minutes). Unbounded, the ~125 connections they opened while a fault held requests up stayed open for the
        // rest of the run: the pool hands them out in turn, so at 10 requests a second none was idle for 30 s, and
        // the services' open files counted the most the clients ever opened at once, not the connections in use.
        System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        System.setProperty("jdk.httpclient.connectionPoolSize", "32");
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "30"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "10"));
        Duration faultEvery = Duration.parse(options.getOrDefault("fault-every", "PT4M"));
        Duration outage = Duration.parse(options.getOrDefault("outage", "PT30S"));
        Path dir = Path.of(options.getOrDefault("dir", "target/soak-" + System.currentTimeMillis()));
        Path services = Path.of(options.getOrDefault("services", "services"));
        String apiKey = options.getOrDefault("api-key", "rs_dev_default_key");
        Duration retention = Duration.parse(options.getOrDefault("retention", "PT5M"));

        System.out.printf("Soak: %d min at %.0f starts/s, a fault every %s lasting %s, finished executions kept %s;"
                + " data in %s%n", minutes, rate, faultEvery, outage, retention, dir.toAbsolutePath());
        try (SoakStack stack = SoakStack.start(dir, services, 2, retention);
                SoakEndpoint endpoint = new SoakEndpoint()) {
            System.out.println("Up: kafka " + stack.infra.kafkaBootstrapServers() + ", "
                    + stack.services.stream().map(s -> s.name() + " :" + s.port()).toList());
            SoakLoad load = new SoakLoad(stack.of("ingress").stream().map(SoakStack.Service::url).toList(),
                    stack.of("projection").stream().map(SoakStack.Service::url).toList(), apiKey);
            load.define(endpoint.url());
            soak(stack, load, minutes, rate, faultEvery, outage);
            verify(stack, load, endpoint, minutes);
        }
    }

    private static void soak(SoakStack stack, SoakLoad load, int minutes, double rate, Duration faultEvery,
            Duration outage) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(256);
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        SoakSampler sampler = new SoakSampler(stack.dir().resolve("samples.csv"));
        long start = System.nanoTime();
        AtomicInteger scenario = new AtomicInteger();
        SoakLoad.Scenario[] scenarios = SoakLoad.Scenario.values();
        clock.scheduleAtFixedRate(() -> clients.submit(() -> {
            try {
                load.run(scenarios[Math.floorMod(scenario.getAndIncrement(), scenarios.length)]);
            } catch (RuntimeException e) {
                System.out.println("  client: " + e.getMessage());
            }
        }), 0, (long) (1_000_000 / rate), TimeUnit.MICROSECONDS);
        clock.scheduleAtFixedRate(() -> sampler.sample(minutesSince(start), stack.services), 0, 1, TimeUnit.MINUTES);
        clock.scheduleAtFixedRate(() -> System.out.printf("%s minute %.0f: %d started, %d open clients, refused "
                + "%s%n", LocalTime.now().format(CLOCK), minutesSince(start), load.starts.get(),
                ((java.util.concurrent.ThreadPoolExecutor) clients).getActiveCount(), refusals(load)),
                1, 1, TimeUnit.MINUTES);

        long end = start + Duration.ofMinutes(minutes).toNanos();
        int faults = 0;
        long nextFault = start + faultEvery.toNanos() / 2;
        while (System.nanoTime() < end) {
            if (System.nanoTime() >= nextFault && end - System.nanoTime() > outage.toNanos() * 2) {
                Fault fault = FAULTS.get(faults++ % FAULTS.size());
                System.out.printf("%s minute %.1f: %s for %d s%n", LocalTime.now().format(CLOCK), minutesSince(start),
                        fault.name(), outage.toSeconds());
                fault.action().apply(stack, outage);
                for (SoakStack.Service service : stack.services) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (!stack.ready(service) && System.nanoTime() < deadline) {
                        sleep(Duration.ofSeconds(1));
                    }
                }
                System.out.printf("%s minute %.1f: %s over, every service ready%n", LocalTime.now().format(CLOCK),
                        minutesSince(start), fault.name());
                nextFault += faultEvery.toNanos();
            }
            sleep(Duration.ofSeconds(1));
        }
        clock.shutdownNow();
        sampler.sample(minutesSince(start), stack.services);
        System.out.printf("Load stopped after %.1f min: %d started; %d faults%n", minutesSince(start),
                load.starts.get(), faults);
        clients.shutdown();
        if (!clients.awaitTermination(5, TimeUnit.MINUTES)) {
            load.stop();
            clients.shutdownNow();
        }
        int grown = sampler.report(minutesSince(start) - 0.5);
        System.out.printf("resources grown by more than 10 %% (last 5 min against minutes 5-10): %d%n", grown);
    }

    private static void verify(SoakStack stack, SoakLoad load, SoakEndpoint endpoint, int minutes)
            throws Exception {
        Map<String, String> ended = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (ended.size() < load.ledger.size() && System.nanoTime() < deadline) {
            for (String id : load.ledger.keySet()) {
                if (!ended.containsKey(id)) {
                    String status = load.status(id);
                    if (status != null && SoakLoad.TERMINAL.contains(status)
                            && !(status.equals("FAILED") && load.ledger.get(id).scenario() == SoakLoad.Scenario.REDRIVE
                                    && System.nanoTime() < deadline - Duration.ofMinutes(5).toNanos())) {
                        ended.put(id, status);
                    }
                }
            }
            sleep(Duration.ofSeconds(2));
        }
        int wrong = 0;
        int duplicateTerminals = 0;
        int duplicateEffects = 0;
        Map<String, Integer> wrongBy = new HashMap<>();
        for (SoakLoad.Started started : load.ledger.values()) {
            String status = ended.get(started.executionId());
            if (status != null && !status.equals(started.scenario().expected)) {
                wrong++;
                wrongBy.merge(started.scenario() + " " + status, 1, Integer::sum);
            }
            if (status != null) {
                duplicateTerminals += Math.max(0, load.terminalEntries(started.executionId())
                        - (started.scenario() == SoakLoad.Scenario.REDRIVE ? 2 : 1));
            }
            for (String path : effects(started)) {
                duplicateEffects += Math.max(0, (int) endpoint.keys(path).stream().distinct().count() - 1);
            }
        }
        int lost = load.ledger.size() - ended.size();
        System.out.printf("soak: %d min, %d started, %d terminal, %d lost, %d wrong status %s, %d duplicate "
                + "terminals, %d side effects under a second key, starts and commands refused %s%n", minutes,
                load.ledger.size(), ended.size(), lost, wrong, wrongBy, duplicateTerminals, duplicateEffects,
                refusals(load));
    }

    /** The callee paths an execution's calls reach, each of which must see one Idempotency-Key. */
    private static List<String> effects(SoakLoad.Started started) {
        String id = started.executionId();
        return switch (started.scenario()) {
            case CALL -> List.of("/ok/" + id);
            case FORK -> List.of("/ok/" + id + "-a");
            default -> List.of();
        };
    }

    private static Map<String, Integer> refusals(SoakLoad load) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        load.refusals.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private static double minutesSince(long start) {
        return (System.nanoTime() - start) / 60e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
