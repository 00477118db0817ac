package io.runstream.worker.crash;

import io.runstream.testkit.Infrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker in a JVM of its own, started from the test's classpath, so a test can kill it without a clean shutdown
 * (SIGKILL) or freeze it (SIGSTOP) while the others go on. Its log goes to a file under target/.
 */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
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
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.runstream.schemas",
                "-cp", System.getProperty("java.class.path"),
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
        return new WorkerProcess(process, log);
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

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            signal("CONT");
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

}
