package io.runstream.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency against offered load, next to the machine's own trivial endpoint, in open loop. For each rate in
 * {@code --rates}, for {@code --seconds}: first {@code GET /actuator/info} of the same URL at that rate, then starts of
 * the {@code set} workflow (or {@code five}) that wait for their result ({@code ?waitForTerminalSeconds=30}), each timed
 * from the moment it was due to the answer with the terminal view. A start still running after the wait (answered 201)
 * counts as an error. The sweep stops after a rate at which the workflow's p50 passes {@code --stop-at-ms} (2000) or
 * a tenth of its starts did not end within their answer. Prints a line per rate and writes {@code sweep.csv} and
 * {@code sweep.png} (latency percentiles against offered load) under {@code --out}. With {@code --passes N} it goes
 * over the rates N times and draws the last pass: a stack's first minutes at a new load are mostly its JIT compiler
 * at work (a third of a core at 100/s after a closed-loop warm-up), which a first pass measures along with the
 * workflow; {@code --settle-jit-ms N} first offers the first rate in windows of {@code --seconds} until the worker's
 * JIT compiled at most N ms a second in one ({@link JitSettling}; at most {@code --settle-windows}, 20). After each
 * rate's starts it prints how the worker's stream threads spent them ({@link StreamCommits}) and
 * how much its JVM compiled and paused meanwhile ({@link JvmWork}), read from the worker's management URL,
 * {@code --worker} ({@code --worker none} reads nothing), and with
 * {@code --stages on} where each start's time went ({@link StageTimes}, from the status and commands topics at
 * {@code --kafka}, with the registry at {@code --registry}).
 * Options: --ingress URL (the API URL, http://127.0.0.1:8080) --api-key KEY --workflow set|five --rates
 * 50,100,200,400,800,1600,3200 --seconds 10 --warmup 2000 --passes 1 --stop-at-ms 2000 --out target/bench-sweep
 * --worker http://127.0.0.1:8083 --settle-jit-ms 0 (off) --settle-windows 20
 * --stages off --kafka 127.0.0.1:9092 --registry http://127.0.0.1:8085/apis/ccompat/v7.
 */
final class SweepBench {

    /** One rate's figures: the trivial endpoint's and the workflow's. */
    private record Step(double rate, Stats trivial, Stats workflow, int running, StreamCommits.Figures commits,
            JvmWork.Figures jvm) {
    }

    private SweepBench() {
    }

    static void run(Map<String, String> opts) throws Exception {
        String url = opts.getOrDefault("ingress", "http://127.0.0.1:8080");
        String apiKey = opts.getOrDefault("api-key", "rs_dev_default_key");
        String workflow = opts.getOrDefault("workflow", "set");
        Duration each = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("seconds", "10")));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2000"));
        double stopAtMs = Double.parseDouble(opts.getOrDefault("stop-at-ms", "2000"));
        int passes = Integer.parseInt(opts.getOrDefault("passes", "1"));
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be at least 1, not " + passes);
        }
        Path out = Path.of(opts.getOrDefault("out", "target/bench-sweep"));
        String workerUrl = opts.getOrDefault("worker", "http://127.0.0.1:8083");
        WorkerMetrics worker = workerUrl.equals("none") ? null : new WorkerMetrics(workerUrl);
        List<Double> rates = new ArrayList<>();
        for (String rate : opts.getOrDefault("rates", "50,100,200,400,800,1600,3200").split(",")) {
            rates.add(Double.parseDouble(rate.trim()));
        }
        Files.createDirectories(out);
        boolean stages = opts.getOrDefault("stages", "off").equals("on");
        double settleJitMs = Double.parseDouble(opts.getOrDefault("settle-jit-ms", "0"));
        JitSettling settling = settleJitMs == 0 ? null
                : new JitSettling(settleJitMs, Integer.parseInt(opts.getOrDefault("settle-windows", "20")));

        try (LoopbackEndpoint endpoint = workflow.equals("five") ? LoopbackEndpoint.start() : null;
                StatusWatcher watcher = stages ? new StatusWatcher(opts.getOrDefault("kafka", "127.0.0.1:9092"),
                        opts.getOrDefault("registry", "http://127.0.0.1:8085/apis/ccompat/v7"),
                        "runstream.executions.status").withCommands(opts.getOrDefault("kafka", "127.0.0.1:9092"),
                                "runstream.executions.commands") : null) {
            String workflowId = endpoint == null ? "bench" : "bench-five";
            String definition = switch (workflow) {
                case "set" -> Bench.BENCH_WORKFLOW;
                case "five" -> Bench.fiveTaskWorkflow(endpoint.url("/ok"));
                default -> throw new IllegalArgumentException("--workflow must be set or five, not " + workflow);
            };
            HttpLoad load = new HttpLoad(4096);
            Stats defined = load.run("define workflow", 1, n -> new HttpLoad.Request(HttpMethod.PUT,
                    url + "/v1/workflows/" + workflowId, Map.of("Content-Type", "application/yaml", "X-API-Key",
                            apiKey), definition), HttpLoad.ResponseHook.NONE);
            if (defined.errors() > 0) {
                throw new IllegalStateException("Could not define the workflow " + workflowId + " at " + url);
            }
            WaitingStarts starts = new WaitingStarts(url, workflowId, apiKey);
            System.out.printf("Runstream latency sweep: workflow %s at %s, %s s a rate, %d cores%n", workflowId, url,
                    each.toSeconds(), Runtime.getRuntime().availableProcessors());
            if (watcher != null) {
                watcher.awaitAssignment();
            }
            new HttpLoad(64).run("warm-up", warmup, starts::request, HttpLoad.ResponseHook.NONE);
            if (settling != null) {
                settle(load, workflow, starts, rates.get(0), each, worker, settling);
            }

            List<Step> steps = List.of();
            for (int pass = 1; pass <= passes; pass++) {
                if (passes > 1) {
                    System.out.printf("pass %d of %d%n", pass, passes);
                }
                steps = pass(load, url, workflow, starts, rates, each, stopAtMs, worker, watcher);
            }
            write(out, workflow, steps);
        }
    }

    /** One pass over the rates: each rate's trivial endpoint, then its starts; stops where the workflow falls behind. */
    private static List<Step> pass(HttpLoad load, String url, String workflow, WaitingStarts starts,
            List<Double> rates, Duration each, double stopAtMs, WorkerMetrics worker, StatusWatcher watcher)
            throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        System.out.printf("%8s | %-36s | %-36s%n", "offered", "trivial endpoint: rate  p50  p99 ms",
                "starts that wait: rate  p50  p99 ms");
        for (double rate : rates) {
            Stats trivial = load.runAtRate("trivial endpoint", rate, each,
                    n -> HttpLoad.Request.get(url + "/actuator/info"), HttpLoad.ResponseHook.NONE);
            AtomicInteger running = new AtomicInteger();
            StageTimes times = new StageTimes(WaitingStarts.countRunning(running));
            Offered offered = offer(load, workflow + ", start that waits", rate, each, starts, worker, running,
                    times);
            Stats ended = offered.ended();
            StreamCommits.Figures spent = offered.commits();
            JvmWork.Figures jvm = offered.jvm();
            steps.add(new Step(rate, trivial, ended, offered.running(), spent, jvm));
            System.out.printf(Locale.ROOT, "%8.0f | %8.0f/s %9.1f %9.1f (%d errors) | %8.0f/s %9.1f %9.1f "
                    + "(%d errors, %d still running)%n", rate, answered(trivial), trivial.percentileMillis(50),
                    trivial.percentileMillis(99), trivial.errors(), answered(ended), ended.percentileMillis(50),
                    ended.percentileMillis(99), offered.started().errors(), offered.running());
            if (spent != null) {
                System.out.printf("%8s   %s%n", "", spent.line());
                System.out.printf("%8s   %s%n", "", jvm.line());
            }
            if (watcher != null) {
                System.out.printf("%8s   %s%n", "", times.line(watcher::points));
            }
            if (ended.percentileMillis(50) > stopAtMs || ended.errors() * 10 > ended.count()) {
                System.out.printf("stopped: at %.0f/s the workflow no longer keeps up%n", rate);
                break;
            }
        }
        return steps;
    }

    /**
     * Offers the first rate's starts window after window until the worker's JIT compiler has settled, printing each
     * window's latency and compile time: the warm-up a long-running service has had when it is measured.
     */
    private static void settle(HttpLoad load, String workflow, WaitingStarts starts, double rate, Duration each,
            WorkerMetrics worker, JitSettling settling) throws InterruptedException {
        if (worker == null) {
            System.out.println("not settling: the worker's JVM is not read (--worker none)");
            return;
        }
        System.out.printf(Locale.ROOT, "settling at %.0f/s, %d s a window%n", rate, each.toSeconds());
        boolean settled = false;
        int window = 0;
        while (!settled && window < settling.maxWindows()) {
            window++;
            AtomicInteger running = new AtomicInteger();
            Offered offered = offer(load, workflow + ", settling", rate, each, starts, worker, running,
                    WaitingStarts.countRunning(running));
            Stats ended = offered.ended();
            JvmWork.Figures jvm = offered.jvm();
            System.out.printf(Locale.ROOT, "%8d | %8.0f/s %9.1f %9.1f ms (%d errors) | %s%n", window,
                    answered(ended), ended.percentileMillis(50), ended.percentileMillis(99), ended.errors(),
                    jvm == null ? "worker's JVM not read" : jvm.line());
            settled = settling.settled(jvm);
        }
        System.out.println(settling.outcome(window, settled));
    }

    /** Starts offered at one rate: as sent, how many still ran after their wait, and what the worker spent on them. */
    private record Offered(Stats started, int running, StreamCommits.Figures commits, JvmWork.Figures jvm) {

        /** The starts, those still running after their wait counted as errors. */
        Stats ended() {
            return started.withErrors(started.errors() + running);
        }
    }

    /**
     * Offers starts at {@code rate} for {@code each}, {@code hook} counting into {@code running} those still running
     * after their wait, with the worker's counters read before and after (null figures when they were not read).
     */
    private static Offered offer(HttpLoad load, String name, double rate, Duration each, WaitingStarts starts,
            WorkerMetrics worker, AtomicInteger running, HttpLoad.ResponseHook hook) throws InterruptedException {
        WorkerMetrics.Reading before = read(worker);
        long from = System.nanoTime();
        Stats started = load.runAtRate(name, rate, each, starts::request, hook);
        WorkerMetrics.Reading after = before == null ? null : read(worker);
        double seconds = (System.nanoTime() - from) / 1e9;
        return after == null ? new Offered(started, running.get(), null, null)
                : new Offered(started, running.get(),
                        StreamCommits.Figures.between(before.commits(), after.commits(), seconds),
                        JvmWork.Figures.between(before.jvm(), after.jvm(), seconds));
    }

    /** The worker's counters, or null when it is not measured or they cannot be read. */
    private static WorkerMetrics.Reading read(WorkerMetrics worker) throws InterruptedException {
        return worker == null ? null : worker.readOrNull();
    }

    /** Requests answered (2xx, and for starts, ended) a second. */
    private static double answered(Stats stats) {
        return (stats.count() - stats.errors()) / stats.seconds();
    }

    /** The worker's stream threads' figures as csv columns (empty when not read), each after a comma. */
    private static String commitColumns(StreamCommits.Figures f) {
        if (f == null || !f.measured()) {
            return ",,,,,,,";
        }
        return String.format(Locale.ROOT, ",%.1f,%.2f,%.3f,%.3f,%.2f,%.2f,%.2f", f.commitsPerSecond(),
                f.recordsPerCommit(), f.commitShare(), f.blockedShare(), f.acksMillisPerCommit(),
                f.offsetsMillisPerCommit(), f.commitMillisPerCommit());
    }

    /** The worker's JVM's figures as the last csv columns (empty when not read), each after a comma. */
    private static String jvmColumns(JvmWork.Figures f) {
        if (f == null || f.restarted()) {
            return ",,,";
        }
        return String.format(Locale.ROOT, ",%.0f,%.0f,%.4f", f.compileMillisPerSecond(), f.pauses(), f.pauseShare());
    }

    private static void write(Path out, String workflow, List<Step> steps) throws Exception {
        StringBuilder csv = new StringBuilder("offered_per_s,trivial_per_s,trivial_p50_ms,trivial_p99_ms,"
                + "trivial_errors,workflow_per_s,workflow_p50_ms,workflow_p90_ms,workflow_p99_ms,workflow_errors,"
                + "still_running,worker_commits_per_s,worker_records_per_commit,worker_commit_share,worker_blocked_share,"
                + "commit_acks_ms,commit_offsets_ms,commit_commit_ms,jit_ms_per_s,gc_pauses,gc_pause_share\n");
        List<LatencyChart.Point> trivialP50 = new ArrayList<>();
        List<LatencyChart.Point> trivialP99 = new ArrayList<>();
        List<LatencyChart.Point> p50 = new ArrayList<>();
        List<LatencyChart.Point> p99 = new ArrayList<>();
        for (Step s : steps) {
            csv.append(String.format(Locale.ROOT, "%.0f,%.1f,%.2f,%.2f,%d,%.1f,%.2f,%.2f,%.2f,%d,%d", s.rate(),
                    answered(s.trivial()), s.trivial().percentileMillis(50), s.trivial().percentileMillis(99),
                    s.trivial().errors(), answered(s.workflow()), s.workflow().percentileMillis(50),
                    s.workflow().percentileMillis(90), s.workflow().percentileMillis(99), s.workflow().errors(),
                    s.running())).append(commitColumns(s.commits())).append(jvmColumns(s.jvm())).append('\n');
            trivialP50.add(new LatencyChart.Point(s.rate(), s.trivial().percentileMillis(50)));
            trivialP99.add(new LatencyChart.Point(s.rate(), s.trivial().percentileMillis(99)));
            p50.add(new LatencyChart.Point(s.rate(), s.workflow().percentileMillis(50)));
            p99.add(new LatencyChart.Point(s.rate(), s.workflow().percentileMillis(99)));
        }
        Files.writeString(out.resolve("sweep.csv"), csv);
        Color blue = new Color(31, 119, 180);
        Color grey = new Color(120, 120, 120);
        LatencyChart.write(out.resolve("sweep.png"), "Latency against offered load (open loop, "
                + Runtime.getRuntime().availableProcessors() + " cores): " + workflow
                + " from POST to the terminal view", List.of(
                        new LatencyChart.Series(workflow + " p50", blue, false, p50),
                        new LatencyChart.Series(workflow + " p99", blue, true, p99),
                        new LatencyChart.Series("trivial endpoint p50", grey, false, trivialP50),
                        new LatencyChart.Series("trivial endpoint p99", grey, true, trivialP99)));
        System.out.println("wrote " + out.resolve("sweep.csv") + " and " + out.resolve("sweep.png"));
    }
}
