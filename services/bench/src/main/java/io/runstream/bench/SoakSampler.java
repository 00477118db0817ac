package io.runstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The resources of each service JVM over the soak, sampled every minute: heap after a full GC, RSS, open files (and
 * of them sockets), threads, and for a worker its state stores: the keys they hold (RocksDB's estimate, from the
 * worker's metrics, standby copies included) and their files on disk (which also hold what compaction has not yet
 * dropped). Flat means the last 5 minutes are within 10 % of minutes 5–10.
 */
final class SoakSampler {

    /** One sample of one service. */
    record Sample(double minute, long heapAfterGcBytes, long rssBytes, long openFiles, long sockets, long threads,
            long stateKeys, long stateBytes) {
    }

    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final Path csv;

    /** Writes every sample to {@code csv} too, a line per service and minute. */
    SoakSampler(Path csv) throws IOException {
        this.csv = csv;
        Files.writeString(csv, "minute,service,heap_after_gc_bytes,rss_bytes,open_files,sockets,threads,"
                + "state_keys,state_bytes\n");
    }

    void sample(double minute, List<SoakStack.Service> services) {
        for (SoakStack.Service service : services) {
            if (!service.process().isAlive()) {
                continue;
            }
            try {
                long pid = service.pid();
                long heap = heapAfterGc(pid);
                long rss = 0;
                long threads = 0;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    } else if (line.startsWith("Threads:")) {
                        threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
                long files = 0;
                long sockets = 0;
                try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                    for (Path fd : (Iterable<Path>) fds::iterator) {
                        files++;
                        try {
                            sockets += Files.readSymbolicLink(fd).toString().startsWith("socket:") ? 1 : 0;
                        } catch (IOException closedMeanwhile) {
                            // gone between the listing and the read
                        }
                    }
                }
                boolean worker = service.kind().equals("worker");
                long state = worker && Files.isDirectory(service.stateDir())
                        ? ProcessProbe.directoryBytes(service.stateDir()) : 0;
                long keys = worker ? stateKeys(service) : 0;
                Sample sample = new Sample(minute, heap, rss, files, sockets, threads, keys, state);
                samples.computeIfAbsent(service.name(), n -> new ArrayList<>()).add(sample);
                Files.writeString(csv, String.format(java.util.Locale.ROOT, "%.2f,%s,%d,%d,%d,%d,%d,%d,%d%n",
                        minute, service.name(), heap, rss, files, sockets, threads, keys, state),
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                System.out.println("  (could not sample " + service.name() + ": " + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The keys a worker's state stores hold: the sum of its {@code kafka_stream_state_estimate_num_keys}. */
    private long stateKeys(SoakStack.Service worker) throws IOException, InterruptedException {
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(worker.url()
                + "/actuator/prometheus")).timeout(java.time.Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        double keys = PrometheusText.sum(response.body(), "kafka_stream_state_estimate_num_keys");
        return (long) keys;
    }

    /** A full GC (jcmd GC.run), then the heap still used (jstat: survivor, eden and old generation used). */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        run("jcmd", Long.toString(pid), "GC.run");
        String[] lines = run("jstat", "-gc", Long.toString(pid)).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return (long) (kb * 1024);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", command[0]);
        List<String> full = new ArrayList<>(List.of(command));
        if (Files.isExecutable(java)) {
            full.set(0, java.toString());
        }
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.trim());
        }
        return out;
    }

    /**
     * Prints, per service and resource, the mean over minutes 5–10 and over the last 5 minutes and the change;
     * returns how many changed by more than 10 %.
     */
    int report(double lastMinute) {
        if (lastMinute < 15) {
            System.out.println("(a run under 15 minutes has no minutes 5-10 to compare the last 5 with)");
            return 0;
        }
        int grown = 0;
        System.out.printf("%n%-13s %-15s %14s %14s %9s%n", "service", "resource", "minutes 5-10", "last 5 min",
                "change");
        for (var entry : samples.entrySet()) {
            List<Sample> early = entry.getValue().stream().filter(s -> s.minute() >= 5 && s.minute() < 10).toList();
            List<Sample> late = entry.getValue().stream().filter(s -> s.minute() >= lastMinute - 5).toList();
            if (early.isEmpty() || late.isEmpty()) {
                continue;
            }
            for (String resource : List.of("heap after GC", "RSS", "open files", "sockets", "threads",
                    "state keys", "state on disk")) {
                double before = mean(early, resource);
                double after = mean(late, resource);
                if (before == 0 && after == 0) {
                    continue;
                }
                double change = before == 0 ? 100 : 100.0 * (after - before) / before;
                boolean flat = change <= 10;
                grown += flat ? 0 : 1;
                System.out.printf("%-13s %-15s %14s %14s %+8.1f %%%s%n", entry.getKey(), resource,
                        shown(resource, before), shown(resource, after), change, flat ? "" : "  (grew)");
            }
        }
        return grown;
    }

    private static double mean(List<Sample> samples, String resource) {
        return samples.stream().mapToLong(s -> switch (resource) {
            case "heap after GC" -> s.heapAfterGcBytes();
            case "RSS" -> s.rssBytes();
            case "open files" -> s.openFiles();
            case "sockets" -> s.sockets();
            case "threads" -> s.threads();
            case "state keys" -> s.stateKeys();
            default -> s.stateBytes();
        }).average().orElse(0);
    }

    private static String shown(String resource, double value) {
        return List.of("open files", "sockets", "threads", "state keys").contains(resource) ? String.format("%.0f", value)
                : String.format("%.1f MB", value / 1e6);
    }
}
