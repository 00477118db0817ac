package io.runstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Reads a local process's CPU time and resident memory, and the machine's busy time, from /proc (Linux only). */
final class ProcessProbe {

    private final long pid;
    private final long ticksPerSecond;

    ProcessProbe(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicks();
        read(); // fails now if the process cannot be read
    }

    /** One reading: wall time, the process's utime+stime and the machine's busy and total ticks, its VmRSS. */
    record Reading(long nanos, long processTicks, long machineBusyTicks, long machineTotalTicks, long rssBytes) {
    }

    /**
     * CPU and memory over a window: % of one core used by the process, by the worker's threads in it (see
     * {@link ThreadCpu#WORKER}) and by the process with every process below it (the whole dev stack: its
     * PostgreSQL and schema registry run as its children); % of all cores busy; RSS at the end and max.
     */
    record Window(double seconds, double processCorePercent, double workerCorePercent, double stackCorePercent,
            double machineBusyPercent, long rssEndBytes, long rssMaxBytes) {
    }

    long pid() {
        return pid;
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    Reading read() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // fields after the command name, which is in parentheses and may contain spaces: state is field 3
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new Reading(System.nanoTime(), ticks, total - idle, total, rss);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read /proc for process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** Measures for {@code length}, sampling the RSS every second. */
    Window measure(Duration length) throws InterruptedException {
        double workerFirst = ThreadCpu.threadMillis(pid, ThreadCpu.WORKER);
        long stackFirst = ThreadCpu.treeTicks(pid);
        Reading first = read();
        long deadline = first.nanos() + length.toNanos();
        long rssMax = first.rssBytes();
        Reading last = first;
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            last = read();
            rssMax = Math.max(rssMax, last.rssBytes());
        }
        double workerMillis = ThreadCpu.threadMillis(pid, ThreadCpu.WORKER) - workerFirst;
        long stackTicks = ThreadCpu.treeTicks(pid) - stackFirst;
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        double processPercent = 100.0 * (last.processTicks() - first.processTicks()) / ticksPerSecond / seconds;
        double workerPercent = workerMillis / 10.0 / seconds;
        double stackPercent = 100.0 * stackTicks / ticksPerSecond / seconds;
        long totalTicks = last.machineTotalTicks() - first.machineTotalTicks();
        double machinePercent = totalTicks == 0 ? 0
                : 100.0 * (last.machineBusyTicks() - first.machineBusyTicks()) / totalTicks;
        return new Window(seconds, processPercent, workerPercent, stackPercent, machinePercent, last.rssBytes(),
                rssMax);
    }

    /** The bytes of every file under {@code dir}; files deleted while it walks (compactions) are skipped. */
    static long directoryBytes(Path dir) throws IOException {
        AtomicLong bytes = new AtomicLong();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    bytes.addAndGet(attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes.get();
    }

    /** {@code getconf CLK_TCK}: the unit of /proc's CPU times (100 on Linux unless told otherwise). */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
