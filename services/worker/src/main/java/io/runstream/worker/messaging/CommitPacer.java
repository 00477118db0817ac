package io.runstream.worker.messaging;

import io.runstream.worker.settings.WorkerProperties;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Decides when a worker asks Kafka Streams for a commit before its commit interval. Eagerly, at most once per eager
 * interval, while it keeps up: what it decides was written recently, and its process uses less CPU than the bound. An
 * early commit holds the stream thread for its round trips, so one that falls a little behind commits once per steady
 * interval while its inputs wait less than the steady bound, and one further behind leaves its commits to the
 * (longer) interval, fewer and larger transactions, until it has caught up ({@link WorkerProperties.Commits}). One per
 * worker, shared by its tasks: a commit covers every task of its stream thread, so one early commit per interval is
 * enough. The CPU use is read at most every tenth of a second, over the time since the last read.
 */
final class CommitPacer {

    private static final long LOAD_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long intervalNanos;
    private final long maxInputAgeMillis;
    private final double belowCpu;
    private final long steadyIntervalNanos;
    private final long steadyMaxInputAgeMillis;
    private final DoubleSupplier cpu;
    private final LongSupplier nanoClock;
    private final AtomicLong lastAsked;
    private volatile long cpuReadAt;
    private volatile double lastCpu = 1;

    CommitPacer(long intervalNanos, long maxInputAgeMillis, double belowCpu, long steadyIntervalNanos,
            long steadyMaxInputAgeMillis, DoubleSupplier cpu, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.maxInputAgeMillis = maxInputAgeMillis;
        this.belowCpu = belowCpu;
        this.steadyIntervalNanos = steadyIntervalNanos;
        this.steadyMaxInputAgeMillis = steadyMaxInputAgeMillis;
        this.cpu = cpu;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.lastAsked = new AtomicLong(now - intervalNanos);
        this.cpuReadAt = now - LOAD_READ_NANOS;
    }

    /** A pacer that reads the process's CPU use as the JVM reports it; where it cannot, none is asked eagerly. */
    static CommitPacer of(WorkerProperties.Commits settings) {
        return new CommitPacer(settings.eagerInterval().toNanos(), settings.eagerMaxInputAge().toMillis(),
                settings.eagerBelowCpu(), settings.steadyInterval().toNanos(), settings.steadyMaxInputAge().toMillis(),
                new ProcessCpu(), System::nanoTime);
    }

    /**
     * Whether to ask for a commit now; a yes counts as asked.
     *
     * @param inputAgeMillis how long before now the input just decided was written
     */
    boolean commitNow(long inputAgeMillis) {
        long now = nanoClock.getAsLong();
        long last = lastAsked.get();
        if (eager(inputAgeMillis, now, last)) {
            return lastAsked.compareAndSet(last, now);
        }
        return steadyIntervalNanos > 0 && inputAgeMillis <= steadyMaxInputAgeMillis
                && now - last >= steadyIntervalNanos && lastAsked.compareAndSet(last, now);
    }

    private boolean eager(long inputAgeMillis, long now, long last) {
        if (intervalNanos <= 0 || inputAgeMillis > maxInputAgeMillis || now - last < intervalNanos) {
            return false;
        }
        if (now - cpuReadAt >= LOAD_READ_NANOS) {
            cpuReadAt = now;
            lastCpu = cpu.getAsDouble();
        }
        return lastCpu >= 0 && lastCpu < belowCpu;
    }

    /**
     * The process's CPU use since the last read, as a share of the processors it may use (0 to 1), from its total CPU
     * time; -1 where the JVM does not report it. Computed here rather than with the JVM's own load figures, whose
     * window is the time since anyone in the process last asked.
     */
    static final class ProcessCpu implements DoubleSupplier {

        private final com.sun.management.OperatingSystemMXBean os;
        private final int processors = Runtime.getRuntime().availableProcessors();
        private long lastCpuNanos;
        private long lastWallNanos;

        ProcessCpu() {
            var bean = ManagementFactory.getOperatingSystemMXBean();
            os = bean instanceof com.sun.management.OperatingSystemMXBean jvm ? jvm : null;
            lastCpuNanos = os == null ? -1 : os.getProcessCpuTime();
            lastWallNanos = System.nanoTime();
        }

        @Override
        public synchronized double getAsDouble() {
            long cpuNanos = os == null ? -1 : os.getProcessCpuTime();
            long wallNanos = System.nanoTime();
            if (cpuNanos < 0 || lastCpuNanos < 0 || wallNanos <= lastWallNanos) {
                return -1;
            }
            double use = (double) (cpuNanos - lastCpuNanos) / (wallNanos - lastWallNanos) / processors;
            lastCpuNanos = cpuNanos;
            lastWallNanos = wallNanos;
            return use;
        }
    }
}
