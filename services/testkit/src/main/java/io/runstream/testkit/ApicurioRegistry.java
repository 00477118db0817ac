package io.runstream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real Apicurio Registry, run as a child JVM from the artifact the build unpacked from Maven Central,
 * on 127.0.0.1. Its Confluent-compatible API is at {@link #confluentUrl()}.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path logFile;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts the registry. With a {@code dataDir} its schemas are kept in an H2 file there across restarts;
     * without one they live in memory. Returns once the process is launched; call {@link #awaitReady()}.
     */
    public static ApicurioRegistry launch(Path dataDir, Path logFile, int port) throws IOException {
        Path runner = home().resolve("apicurio-registry-app-3.0.9-runner.jar");
        if (!Files.isRegularFile(runner)) {
            throw new IOException("Apicurio Registry is not unpacked at " + runner
                    + "; build the runstream-testkit module first (./mvnw install -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        // no shared performance counters (jstat reads them): their sampler woke 20 times a second, 0.17 % of a core
        // for an idle registry
        command.add("-XX:-UsePerfData");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.enabled=false");
        command.add("-Dquarkus.log.level=WARN");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"));
        }
        command.add("-jar");
        command.add(runner.toString());
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        ApicurioRegistry registry = new ApicurioRegistry(process, port, logFile);
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
        return registry;
    }

    /** Blocks until the registry answers on its Confluent-compatible API. */
    public void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Apicurio Registry exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for Apicurio Registry", e);
            }
            pause();
        }
        close();
        throw new IOException("Apicurio Registry was not ready within " + STARTUP + "; see " + logFile);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path home() throws IOException {
        String override = System.getenv("RUNSTREAM_APICURIO_HOME");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        Properties props = new Properties();
        try (InputStream in = ApicurioRegistry.class.getResourceAsStream("/runstream-testkit.properties")) {
            props.load(in);
        }
        return Path.of(props.getProperty("apicurio.home"));
    }

    /** Base URL of the Confluent-compatible API. */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    /** The registry's process. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
