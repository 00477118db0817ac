package io.runstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and the schema registry together. {@link #shared()} gives integration tests one set per
 * JVM, on fresh ports and a temporary directory; {@link #start(Path, int, int, int)} runs them for the dev stack.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
    private static Infrastructure shared;

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final ApicurioRegistry registry;
    private final Children children;
    private final Path postgresDir;

    private Infrastructure(EmbeddedKafka kafka, EmbeddedPostgres postgres, ApicurioRegistry registry,
            Children children, Path postgresDir) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
        this.children = children;
        this.postgresDir = postgresDir;
    }

    /**
     * Ends the registry and PostgreSQL processes that an earlier run of {@code dataDir} left running (its launcher
     * was killed, and so was the watchdog that would have ended them); returns what it ended. {@link #start} does
     * this too; call it first to free the ports before checking them.
     */
    public static List<String> endStale(Path dataDir) throws IOException {
        return Children.of(dataDir).endStale(dataDir.resolve("postgres"));
    }

    /** The JVM-wide infrastructure for tests, started on first use and stopped when the JVM exits. */
    public static synchronized Infrastructure shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("runstream-it-");
                Infrastructure infra = start(dir, Ports.free(), Ports.free(), Ports.free(), false);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    infra.close();
                    deleteRecursively(dir);
                }));
                shared = infra;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the test infrastructure", e);
            }
        }
        return shared;
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete {}", dir, e);
        }
    }

    /** Starts all three with durable data under {@code dataDir}. */
    public static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort, int registryPort)
            throws IOException {
        return start(dataDir, kafkaPort, postgresPort, registryPort, true);
    }

    private static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort, int registryPort,
            boolean durableRegistry) throws IOException {
        long started = System.nanoTime();
        endStale(dataDir);
        // the registry and PostgreSQL run as processes of their own: recorded, and watched, so that they end with
        // this JVM however it ends
        Children children = Children.of(dataDir);
        ApicurioRegistry registry = ApicurioRegistry.launch(durableRegistry ? dataDir.resolve("registry") : null,
                dataDir.resolve("registry.log"), registryPort);
        children.add("schema registry", registry.process());
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), postgresPort);
        } finally {
            Children.postgresServer(dataDir.resolve("postgres")).ifPresent(p -> children.add("PostgreSQL", p));
            children.watch();
        }
        EmbeddedKafka kafka = durableRegistry ? EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort)
                : kafkaOnAFreePort(dataDir, kafkaPort);
        registry.awaitReady();
        log.info("Infrastructure up in {} ms: kafka {}, postgres {}, registry {}",
                (System.nanoTime() - started) / 1_000_000, kafka.bootstrapServers(), postgres.jdbcUrl(),
                registry.confluentUrl());
        return new Infrastructure(kafka, postgres, registry, children, dataDir.resolve("postgres"));
    }

    /**
     * The tests' broker: a port found free may be taken by another process (an outgoing connection's ephemeral port)
     * before the broker binds it, so a start that cannot bind tries again on another port, in a fresh directory.
     */
    private static EmbeddedKafka kafkaOnAFreePort(Path dataDir, int firstPort) throws IOException {
        int port = firstPort;
        for (int attempt = 1; ; attempt++) {
            try {
                return EmbeddedKafka.start(dataDir.resolve(attempt == 1 ? "kafka" : "kafka-" + attempt), port);
            } catch (RuntimeException e) {
                if (attempt == 3 || !boundTaken(e)) {
                    throw e;
                }
                log.warn("The broker could not bind 127.0.0.1:{} (taken meanwhile); trying another port", port);
                port = Ports.free();
            }
        }
    }

    private static boolean boundTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Spring Boot properties that point a Runstream service at this infrastructure; {@code schema} is the
     * PostgreSQL schema the service owns, or null for a service without a database.
     */
    public java.util.Map<String, String> springProperties(String schema) {
        var props = new java.util.LinkedHashMap<String, String>();
        props.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers());
        props.put("spring.kafka.properties.schema.registry.url", schemaRegistryUrl());
        if (schema != null) {
            props.put("spring.datasource.url", jdbcUrl() + "?currentSchema=" + schema);
            props.put("spring.datasource.username", EmbeddedPostgres.USER);
        }
        return props;
    }

    /**
     * Freezes PostgreSQL, the server and every backend, with SIGSTOP, as a stalled or partitioned database looks to
     * its clients: connections are accepted by the kernel and then nothing answers. Closing the result sends
     * SIGCONT to the same processes.
     */
    public Frozen freezePostgres() {
        ProcessHandle server = Children.postgresServer(postgresDir)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
        List<ProcessHandle> stopped = new java.util.ArrayList<>();
        stopped.add(server);
        Signals.send("STOP", List.of(server));
        // the server is stopped first, so it forks no backend while they are being stopped
        List<ProcessHandle> backends = server.descendants().toList();
        Signals.send("STOP", backends);
        stopped.addAll(backends);
        return () -> Signals.send("CONT", stopped);
    }

    /** Processes frozen by {@link #freezePostgres()}; closing it lets them go on. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public String schemaRegistryUrl() {
        return registry.confluentUrl();
    }

    /** Stops the registry, Kafka and PostgreSQL, each even if stopping the one before failed. */
    @Override
    public synchronized void close() {
        try {
            registry.close();
        } catch (RuntimeException | Error e) {
            log.warn("The schema registry did not stop cleanly", e);
        }
        try {
            kafka.close();
        } catch (RuntimeException | Error e) {
            log.warn("Kafka did not stop cleanly", e);
        }
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("PostgreSQL did not stop cleanly", e);
        }
        children.clear();
    }
}
