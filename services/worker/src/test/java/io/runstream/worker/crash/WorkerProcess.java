package io.runstream.worker.crash;

import io.runstream.testkit.Infrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A worker in a JVM of its own, started from the test's classpath, so a test can kill it without a clean shutdown
 * (SIGKILL) or freeze it (SIGSTOP) while the others go on. Its log goes to a file under target/.
 *
 * <p>The workers' JVMs share a class-data archive (CDS): the first one that ends cleanly writes the classes it loaded
 * to {@code target/crash/worker.jsa}, and each one started after maps them instead of finding, reading and verifying
 * them again in the classpath's jars. Two workers starting at once filled both cores for most of their 12-16 s start;
 * the archive is only a cache (a JVM that cannot use it loads its classes as before). The JVM archives nothing from a
 * classpath with a directory in it, so the test's class directories are copied into jars first, once per test run,
 * in their places on the classpath.
 *
 * <p>The jars and the archive are this test JVM's own, under {@code target/crash/jvm-<pid>}: the build runs two test
 * JVMs at once, and when both wrote the same jars, one rewrote them under the other's running workers, which then
 * failed to load their next class ({@code NoClassDefFoundError} in a stream thread, over and over).
 */
final class WorkerProcess implements AutoCloseable {

    /** This test JVM's own jars and archive; another test JVM may be running crash tests at the same time. */
    private static final Path OWN = Path.of("target", "crash", "jvm-" + ProcessHandle.current().pid())
            .toAbsolutePath();
    private static final Path ARCHIVE = OWN.resolve("worker.jsa");
    private static final Path ARCHIVE_DRAFT = OWN.resolve("worker.jsa.draft");
    /** Whether a running worker will write the archive when it ends; one at a time. */
    private static final AtomicBoolean drafting = new AtomicBoolean();
    private static String classpath;

    private final Process process;
    /** Set once SIGTERM was sent: {@link WorkerCrashIT.Workers#close} asks every worker first, then closes each. */
    private boolean stopAsked;
    private boolean draftsArchive;
    final Path log;

    private WorkerProcess(Process process, boolean draftsArchive, Path log) {
        this.process = process;
        this.draftsArchive = draftsArchive;
        this.log = log;
    }

    /** Starts a worker of the application {@code app}, with its own state directory and any extra properties. */
    static WorkerProcess start(Infrastructure infra, String app, String name, Map<String, String> extra)
            throws IOException {
        return start(infra.kafkaBootstrapServers(), infra.schemaRegistryUrl(), app, name, extra);
    }

    /** As {@link #start(Infrastructure, String, String, Map)}, on the Kafka cluster at {@code bootstrap}. */
    static WorkerProcess start(String bootstrap, String registryUrl, String app, String name,
            Map<String, String> extra) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "crash", app));
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        boolean draftsArchive = false;
        if (Files.exists(ARCHIVE)) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        } else if (drafting.compareAndSet(false, true)) {
            Files.deleteIfExists(ARCHIVE_DRAFT);
            command.add("-XX:ArchiveClassesAtExit=" + ARCHIVE_DRAFT);
            draftsArchive = true;
        }
        command.addAll(List.of(
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.runstream.schemas",
                "-cp", classpath(),
                "io.runstream.worker.WorkerApplication",
                "--server.port=0",
                "--logging.level.root=WARN",
                "--logging.level.io.runstream=INFO",
                "--logging.level.org.apache.kafka.streams.KafkaStreams=INFO",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--spring.kafka.properties.schema.registry.url=" + registryUrl,
                "--spring.kafka.streams.application-id=" + app,
                "--spring.kafka.streams.state-dir=" + dir.resolve(name + "-state").toAbsolutePath(),
                "--spring.kafka.consumer.group-id=" + app + "-runner"));
        extra.forEach((k, v) -> command.add("--" + k + "=" + v));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new WorkerProcess(process, draftsArchive, log);
    }

    /**
     * The test's classpath with each directory replaced by a jar of it, made on the first call; what test JVMs that
     * have ended left in {@code target/crash} (their jars, their archive) is dropped then.
     */
    private static synchronized String classpath() throws IOException {
        if (classpath == null) {
            dropThoseOfEndedJvms();
            Path jars = Files.createDirectories(OWN.resolve("classpath"));
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                entries.add(Files.isDirectory(path) ? jar(path, jars.resolve(entries.size() + ".jar")).toString()
                        : entry);
            }
            classpath = String.join(java.io.File.pathSeparator, entries);
        }
        return classpath;
    }

    private static void dropThoseOfEndedJvms() throws IOException {
        try (var dirs = Files.newDirectoryStream(OWN.getParent(), "jvm-*")) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString().substring("jvm-".length()));
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                    drop(dir);
                }
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // no crash test ran here before
        }
    }

    /** Deletes a directory of an ended JVM; the other test JVM may be deleting it at the same time. */
    private static void drop(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | java.io.UncheckedIOException goneMeanwhile) {
            // only a cache: what is left is dropped next time
        }
    }

    private static Path jar(Path directory, Path jar) throws IOException {
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(directory)) {
            // directories get entries too: Spring finds the packages it scans by them
            for (Path file : (Iterable<Path>) files.filter(f -> !f.equals(directory)).sorted()::iterator) {
                String name = directory.relativize(file).toString().replace('\\', '/');
                boolean isDirectory = Files.isDirectory(file);
                out.putNextEntry(new JarEntry(isDirectory ? name + "/" : name));
                if (!isDirectory) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit code, or -1 if it still runs after {@code timeout}. */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue()
                : -1;
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed or flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start().waitFor();
    }

    /** True once the worker's log says its Kafka Streams instance is running. */
    boolean isRunning() throws IOException {
        return Files.exists(log) && Files.readString(log).contains("State transition from REBALANCING to RUNNING");
    }

    /** Asks the worker to shut down (SIGTERM, after SIGCONT should it be frozen), without waiting for it. */
    void stop() throws IOException, InterruptedException {
        if (process.isAlive() && !stopAsked) {
            stopAsked = true;
            signal("CONT");
            process.destroy();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
        if (draftsArchive) {
            // the JVM writes the archive as it exits; a worker killed first writes none and the next one tries
            if (Files.exists(ARCHIVE_DRAFT) && process.exitValue() != 137) {
                Files.move(ARCHIVE_DRAFT, ARCHIVE, StandardCopyOption.ATOMIC_MOVE);
            }
            draftsArchive = false;
            drafting.set(false);
        }
    }

}
