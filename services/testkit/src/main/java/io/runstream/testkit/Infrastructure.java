package io.runstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /** What runs on the shared infrastructure and is closed before it when the JVM exits. */
    private static final List<AutoCloseable> sharedUsers = new ArrayList<>();

    /** The embedded broker or the cluster this infrastructure started; null in a view from {@link #onKafka}. */
    private final AutoCloseable kafka;
    /** Copies of each topic the services create: 1 on the embedded broker, 3 on a cluster. */
    private final int replicas;
    private volatile EmbeddedPostgres postgres;
    private final ApicurioRegistry registry;
    private final Children children;
    private final Path postgresDir;
    private final String kafkaBootstrap;
    private final String database;
    /** The infrastructure whose processes this one uses; itself, unless this is a view from {@link #onKafka}. */
    private final Infrastructure owner;

    private Infrastructure(AutoCloseable kafka, String kafkaBootstrap, int replicas, EmbeddedPostgres postgres,
            ApicurioRegistry registry, Children children, Path postgresDir) {
        this.kafka = kafka;
        this.replicas = replicas;
        this.postgres = postgres;
        this.registry = registry;
        this.children = children;
        this.postgresDir = postgresDir;
        this.kafkaBootstrap = kafkaBootstrap;
        this.database = EmbeddedPostgres.DATABASE;
        this.owner = this;
    }

    private Infrastructure(Infrastructure owner, String kafkaBootstrap, int replicas, String database) {
        this.kafka = null;
        this.replicas = replicas;
        this.registry = owner.registry;
        this.children = owner.children;
        this.postgresDir = owner.postgresDir;
        this.kafkaBootstrap = kafkaBootstrap;
        this.database = database;
        this.owner = owner;
    }

    /**
     * This infrastructure's PostgreSQL and registry, with Kafka on {@code cluster} (and the services given its
     * replication, see {@link #springProperties}) and a database of its own, {@code database}, created if missing:
     * for a second stack in the same JVM whose services must not share tables with the first. Closing the view stops
     * nothing.
     */
    public Infrastructure onKafka(KafkaCluster cluster, String database) {
        try {
            owner.postgres.createDatabase(database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Infrastructure(owner, cluster.bootstrapServers(), Math.min(3, cluster.nodeIds().size()), database);
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
                Infrastructure infra = start(dir, Ports.free(), Ports.free(), Ports.free(), false, 1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    closeSharedUsers();
                    infra.close();
                    deleteRecursively(dir);
                }, "test-infrastructure-shutdown"));
                shared = infra;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the test infrastructure", e);
            }
        }
        return shared;
    }

    /**
     * Closes {@code user} (services that run on the shared infrastructure) when the JVM exits, before the
     * infrastructure and after what was registered later. In hooks of their own, which the JVM runs at once, the
     * broker would stop under the services, and their clients would wait out their timeouts for it.
     */
    public static synchronized void closeBeforeShared(AutoCloseable user) {
        if (shared == null) {
            throw new IllegalStateException("No shared infrastructure to close it before: call shared() first");
        }
        sharedUsers.add(user);
    }

    private static void closeSharedUsers() {
        List<AutoCloseable> users;
        synchronized (Infrastructure.class) {
            users = new ArrayList<>(sharedUsers);
        }
        for (int i = users.size() - 1; i >= 0; i--) {
            try {
                users.get(i).close();
            } catch (Exception e) {
                log.warn("Could not close {} before the test infrastructure", users.get(i), e);
            }
        }
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
        return start(dataDir, kafkaPort, postgresPort, registryPort, true, 1);
    }

    /**
     * Starts all three with durable data under {@code dataDir}, Kafka as a cluster of {@code kafkaNodes} nodes (each
     * in a JVM of its own, brokers on {@code kafkaPort} and the ports after it) when more than one; the services are
     * then given replication factor 3 and {@code min.insync.replicas} 2 (see {@link #springProperties}).
     */
    public static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort, int registryPort,
            int kafkaNodes) throws IOException {
        return start(dataDir, kafkaPort, postgresPort, registryPort, true, kafkaNodes);
    }

    private static Infrastructure start(Path dataDir, int kafkaPort, int postgresPort, int registryPort,
            boolean durableRegistry, int kafkaNodes) throws IOException {
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
            Children.postgresServer(dataDir.resolve("postgres")).ifPresent(p -> children.add(Children.POSTGRESQL, p));
            children.watch();
        }
        AutoCloseable kafka;
        String bootstrap;
        if (kafkaNodes > 1) {
            KafkaCluster cluster = KafkaCluster.start(dataDir.resolve("kafka-cluster"), kafkaNodes, kafkaPort);
            kafka = cluster;
            bootstrap = cluster.bootstrapServers();
        } else {
            EmbeddedKafka broker = durableRegistry ? EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort)
                    : kafkaOnAFreePort(dataDir, kafkaPort);
            kafka = broker;
            bootstrap = broker.bootstrapServers();
        }
        registry.awaitReady();
        log.info("Infrastructure up in {} ms: kafka {}, postgres {}, registry {}",
                (System.nanoTime() - started) / 1_000_000, bootstrap, postgres.jdbcUrl(), registry.confluentUrl());
        return new Infrastructure(kafka, bootstrap, Math.min(3, kafkaNodes), postgres, registry, children,
                dataDir.resolve("postgres"));
    }

    /**
     * The tests' broker: a port found free may still be taken by another process before the broker binds it (see
     * {@link Ports}), so a start that cannot bind tries again on another port, in a fresh directory.
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
        if (replicas > 1) {
            props.put("runstream.kafka.replication-factor", Integer.toString(replicas));
            props.put("runstream.kafka.min-insync-replicas", Integer.toString(replicas - 1));
        }
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
        ProcessHandle server = postgresServer();
        List<ProcessHandle> stopped = new ArrayList<>();
        stopped.add(server);
        Signals.send("STOP", List.of(server));
        // the server is stopped first, so it forks no backend while they are being stopped
        List<ProcessHandle> backends = server.descendants().toList();
        Signals.send("STOP", backends);
        stopped.addAll(backends);
        return () -> Signals.send("CONT", stopped);
    }

    private ProcessHandle postgresServer() {
        return Children.postgresServer(postgresDir)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
    }

    /**
     * Kills PostgreSQL, the server and every backend, with SIGKILL, as an out-of-memory kill or a lost machine does;
     * nothing is flushed beyond what it had made durable. {@link #restartPostgres()} starts it again on its data.
     */
    public void killPostgres() {
        ProcessHandle server = postgresServer();
        List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
        all.add(0, server);
        Signals.send("KILL", all);
        all.forEach(p -> p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join());
    }

    /** Starts PostgreSQL again on its port and data after {@link #killPostgres()}; it replays its WAL first. */
    public synchronized void restartPostgres() throws IOException {
        Infrastructure infra = owner;
        try {
            // releases the data directory's lock; stopping the dead server fails, and is only logged
            infra.postgres.close();
        } catch (IOException | RuntimeException e) {
            log.debug("The killed PostgreSQL could not be stopped (it is gone)", e);
        }
        infra.postgres = EmbeddedPostgres.start(postgresDir, infra.postgres.port());
        Children.postgresServer(postgresDir).ifPresent(p -> children.add(Children.POSTGRESQL, p));
        // the watchdog knew the killed server's pid: it is told the new one, so it ends with this JVM too
        children.rewatch();
    }

    /** Freezes the schema registry with SIGSTOP: connections hang, nothing answers. Closing the result thaws it. */
    public Frozen freezeRegistry() {
        ProcessHandle process = registry.process();
        Signals.send("STOP", List.of(process));
        return () -> Signals.send("CONT", List.of(process));
    }

    /** Processes frozen by {@link #freezePostgres()}; closing it lets them go on. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close();
    }

    /** The cluster this infrastructure started, when it was started with more than one Kafka node. */
    public java.util.Optional<KafkaCluster> kafkaCluster() {
        return kafka instanceof KafkaCluster cluster ? java.util.Optional.of(cluster) : java.util.Optional.empty();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    public String jdbcUrl() {
        return owner.postgres.urlOf(database);
    }

    public String schemaRegistryUrl() {
        return registry.confluentUrl();
    }

    /** Stops the registry, Kafka and PostgreSQL, each even if stopping the one before failed. */
    @Override
    public synchronized void close() {
        if (owner != this) {
            return;
        }
        try {
            registry.close();
        } catch (RuntimeException | Error e) {
            log.warn("The schema registry did not stop cleanly", e);
        }
        try {
            kafka.close();
        } catch (Exception | Error e) {
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
