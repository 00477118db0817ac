package io.runstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU a JVM's threads have used, by thread name ({@code jcmd Thread.print}, whose lines carry each thread's
 * {@code cpu=}), and the CPU of a process with every process below it (from /proc), so that one service's share of
 * a JVM that runs several (the dev stack) and the whole stack's (with its PostgreSQL and registry) can be told apart.
 */
final class ThreadCpu {

    /**
     * The worker's threads in the dev stack: its Kafka Streams threads and their clients (named after the
     * application id), and the runner's listeners. Its HTTP calls run on the event loops the services share.
     */
    static final List<String> WORKER = List.of("runstream-worker", "activity-dispatches", "activity-cancels");

    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" .*cpu=([0-9.]+)ms");

    private ThreadCpu() {
    }

    /** Milliseconds of CPU used so far by the threads of {@code pid} whose names contain one of {@code names}. */
    static double threadMillis(long pid, List<String> names) {
        double millis = 0;
        for (Map.Entry<String, Double> thread : threads(pid).entrySet()) {
            if (names.stream().anyMatch(thread.getKey()::contains)) {
                millis += thread.getValue();
            }
        }
        return millis;
    }

    /** Each live thread's CPU so far, in ms, by name (threads of the same name summed). */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> cpu = new HashMap<>();
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + pid + " Thread.print failed: " + out.strip());
            }
            for (String line : out.split("\n")) {
                Matcher m = THREAD.matcher(line);
                if (m.find()) {
                    cpu.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
            return cpu;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run jcmd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** utime+stime, in clock ticks, of {@code pid} and of every process below it (those alive now). */
    static long treeTicks(long pid) {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    long id = Long.parseLong(p.getFileName().toString());
                    parents.put(id, Long.parseLong(f[1])); // ppid (4)
                    ticks.put(id, Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime (14), stime (15)
                } catch (IOException | RuntimeException gone) {
                    // ended while listed
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list /proc: " + e.getMessage(), e);
        }
        long sum = 0;
        for (Map.Entry<Long, Long> process : ticks.entrySet()) {
            if (below(process.getKey(), pid, parents)) {
                sum += process.getValue();
            }
        }
        return sum;
    }

    private static boolean below(long id, long root, Map<Long, Long> parents) {
        for (long at = id; at > 1; at = parents.getOrDefault(at, 0L)) {
            if (at == root) {
                return true;
            }
        }
        return false;
    }
}
