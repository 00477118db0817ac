package io.runstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes a stack starts beside its own JVM (the schema registry, PostgreSQL) for one data directory, so they
 * end with it however it ends. Each is recorded in {@value #FILE} in the data directory with its pid, start time
 * and command, and a watchdog ends them when the launcher's process is gone, even after a {@code kill -9}. If the
 * watchdog did not run either, the next start of the same data directory ends them before it binds any port: a
 * recorded process is ended only if its start time and command are still the recorded ones, so a reused pid is
 * never touched.
 */
public final class Children {

    static final String FILE = "runstream-children.pid";
    private static final Logger log = LoggerFactory.getLogger(Children.class);
    private static final Duration STOP = Duration.ofSeconds(20);
    /** The name PostgreSQL is recorded under; it is ended with SIGINT. */
    static final String POSTGRESQL = "PostgreSQL";

    private final Path file;
    private final List<Child> children = new ArrayList<>();
    private Process watchdog;
    /** The watchdogs' pipes, which end them when closed: only this JVM's end closes them. */
    private static final List<java.io.OutputStream> WATCHDOG_PIPES = java.util.Collections.synchronizedList(
            new ArrayList<>());

    private Children(Path file) {
        this.file = file;
    }

    /** The children of the stack of {@code dataDir}. */
    public static Children of(Path dataDir) {
        return new Children(dataDir.resolve(FILE));
    }

    /**
     * Ends the processes an earlier run of this data directory left running, and returns what it ended (as
     * "name pid"). PostgreSQL's own {@code postmaster.pid} under {@code postgresDir} is honoured too, for a data
     * directory from before this file.
     */
    public List<String> endStale(Path postgresDir) throws IOException {
        List<Child> stale = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Child.parse(line).ifPresent(stale::add);
            }
        }
        postmaster(postgresDir).filter(pg -> stale.stream().noneMatch(c -> c.pid() == pg.pid()))
                .ifPresent(stale::add);
        List<String> ended = new ArrayList<>();
        for (Child child : stale) {
            Optional<ProcessHandle> process = child.find();
            if (process.isPresent()) {
                log.warn("Ending the {} (pid {}) that an earlier run of this data directory left running",
                        child.name(), child.pid());
                end(process.get());
                ended.add(child.name() + " " + child.pid());
            }
        }
        Files.deleteIfExists(file);
        return ended;
    }

    /** Records a child: in the file now, and in the watchdog when it starts. */
    public synchronized void add(String name, ProcessHandle process) {
        Child child = Child.of(name, process);
        children.add(child);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, child.line() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record the " + name + " in " + file, e);
        }
    }

    /** The server process of the PostgreSQL data directory, if it runs (from PostgreSQL's postmaster.pid). */
    public static Optional<ProcessHandle> postgresServer(Path postgresDir) {
        return postmaster(postgresDir).flatMap(Child::find);
    }

    private static Optional<Child> postmaster(Path postgresDir) {
        Path pidFile = postgresDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").contains("postgres"))
                    .map(p -> Child.of(POSTGRESQL, p));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the watchdog: a small shell, apart from this JVM, that ends every child once this JVM's process is gone,
     * and then ends itself. It waits to read its standard input, a pipe whose other end only this JVM holds (a child
     * Java starts keeps none of its parent's other descriptors), so the read returns when the kernel closes that end
     * as this process ends, however it ends, and an idle stack wakes nothing to check (a check every second, each
     * starting a {@code sleep 1}, cost about 0.4 % of a core). Each child gets SIGCONT (a frozen one would not act on
     * the rest), then PostgreSQL SIGINT, its fast shutdown (SIGTERM is its smart shutdown, which waits for every client
     * to disconnect, and clients in other processes, such as the soak's service JVMs, may never), and the others
     * SIGTERM. What still runs 20 s later as the same process (its start time in {@code /proc} unchanged, so a reused
     * pid is not touched) gets SIGKILL.
     */
    public synchronized void watch() {
        children.removeIf(child -> child.find().isEmpty());
        if (watchdog != null || children.isEmpty()) {
            return;
        }
        StringBuilder started = new StringBuilder("st() { cut -d' ' -f22 /proc/$1/stat 2>/dev/null; }; ");
        StringBuilder end = new StringBuilder();
        StringBuilder kill = new StringBuilder();
        for (int i = 0; i < children.size(); i++) {
            Child child = children.get(i);
            long pid = child.pid();
            started.append("s").append(i).append("=$(st ").append(pid).append("); ");
            end.append("kill -CONT ").append(pid).append(" 2>/dev/null; kill -")
                    .append(child.name().equals(POSTGRESQL) ? "INT " : "TERM ").append(pid).append(" 2>/dev/null; ");
            kill.append("[ -n \"$s").append(i).append("\" ] && [ \"$(st ").append(pid).append(")\" = \"$s")
                    .append(i).append("\" ] && kill -KILL ").append(pid).append(" 2>/dev/null; ");
        }
        String script = started + "read -r _; " + end + "sleep " + STOP.toSeconds() + "; " + kill + "true";
        try {
            watchdog = new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // held for the life of this JVM: nothing may close the pipe's end before it ends
            WATCHDOG_PIPES.add(watchdog.getOutputStream());
        } catch (IOException e) {
            log.warn("Could not start the watchdog that ends {} if this process is killed; a later start of the"
                    + " same data directory ends them instead", children, e);
        }
    }

    /** Starts the watchdog again, so that it also ends the children recorded since it started (a restarted one). */
    public synchronized void rewatch() {
        if (watchdog != null) {
            watchdog.destroy();
            watchdog = null;
        }
        watch();
    }

    /** After an orderly stop: nothing is left to end. */
    public synchronized void clear() {
        if (watchdog != null) {
            watchdog.destroy();
        }
        children.clear();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}", file, e);
        }
    }

    /** The watchdog process, while it runs. */
    Optional<ProcessHandle> watchdog() {
        return Optional.ofNullable(watchdog).map(Process::toHandle);
    }

    private static void end(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            process.onExit().orTimeout(STOP.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A recorded child: its identity is its pid with its start time and command. */
    record Child(String name, long pid, long startedAtMillis, String command) {

        static Child of(String name, ProcessHandle process) {
            ProcessHandle.Info info = process.info();
            return new Child(name, process.pid(), info.startInstant().map(Instant::toEpochMilli).orElse(0L),
                    info.command().orElse(""));
        }

        static Optional<Child> parse(String line) {
            String[] parts = line.split("\t", 4);
            if (parts.length < 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Child(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        parts[3]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        String line() {
            return name + "\t" + pid + "\t" + startedAtMillis + "\t" + command;
        }

        /** The process, if it still runs as the one recorded. */
        Optional<ProcessHandle> find() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> {
                ProcessHandle.Info info = p.info();
                long started = info.startInstant().map(Instant::toEpochMilli).orElse(0L);
                return started == startedAtMillis && info.command().orElse("").equals(command);
            });
        }
    }
}
