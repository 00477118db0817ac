package io.runstream.bench;

import io.runstream.testkit.Children;
import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.KafkaCluster;
import io.runstream.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the soak runs on: a 3-node KRaft cluster, PostgreSQL and the registry from the testkit, and two JVMs each of
 * the ingress, the worker and the projection, started from the services' executable jars with the production
 * settings for a cluster (replication 3, {@code min.insync.replicas} 2). It can take any of them away.
 */
final class SoakStack implements AutoCloseable {

    /** One service JVM: its kind ("worker"), name ("worker-1"), port, process and where it keeps its state. */
    record Service(String kind, String name, int port, Process process, Path log, Path stateDir) {

        String url() {
            return "http://127.0.0.1:" + port;
        }

        long pid() {
            return process.pid();
        }
    }

    private static final Duration READY = Duration.ofMinutes(3);

    final Infrastructure infra;
    final KafkaCluster cluster;
    final List<Service> services = new ArrayList<>();
    private final Path dir;
    private final Path jars;
    /** The service JVMs, ended by a watchdog if the soak's JVM is killed before it can stop them. */
    private final Children children;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Duration retention;
    private boolean closed;

    private SoakStack(Infrastructure infra, Path dir, Path jars, Duration retention) {
        this.infra = infra;
        this.retention = retention;
        this.cluster = infra.kafkaCluster().orElseThrow();
        this.dir = dir;
        this.jars = jars;
        this.children = Children.of(dir.resolve("services"));
    }

    /**
     * Starts the infrastructure under {@code dir} and {@code instances} of each service from the jars under
     * {@code jars}, the workers keeping finished executions (and the ingresses idempotency keys) for
     * {@code retention}.
     */
    static SoakStack start(Path dir, Path jars, int instances, Duration retention) throws Exception {
        Files.createDirectories(dir);
        Infrastructure infra = Infrastructure.start(dir, Ports.freeRun(3), Ports.free(), Ports.free(), 3);
        SoakStack stack = new SoakStack(infra, dir, jars, retention);
        // the service JVMs end with the soak however it ends (Ctrl-C included); the infrastructure has its watchdog
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "soak-shutdown"));
        try {
            for (String kind : List.of("worker", "projection", "ingress")) {
                for (int i = 1; i <= instances; i++) {
                    stack.launch(kind, i);
                }
            }
            stack.children.watch();
            for (Service service : stack.services) {
                stack.awaitReady(service);
            }
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void launch(String kind, int index) throws IOException {
        String name = kind + "-" + index;
        int port = Ports.free();
        Path jar = jars.resolve(kind).resolve("target").resolve("runstream-" + kind + "-0.1.0-SNAPSHOT-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("No " + jar + ": build the services first (./mvnw -q -DskipTests install)");
        }
        Path state = dir.resolve(name + "-state");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                // the whole heap resident from the start, so that RSS shows what grows outside it
                "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-jar", jar.toString(),
                "--server.port=" + port,
                "--logging.level.root=WARN", "--logging.level.io.runstream=INFO"));
        Map<String, String> props = infra.springProperties(kind.equals("worker") ? null : kind);
        props.forEach((k, v) -> command.add("--" + k + "=" + v));
        if (kind.equals("worker")) {
            command.add("--spring.kafka.streams.state-dir=" + state.toAbsolutePath());
            command.add("--runstream.worker.retention=" + retention.toSeconds() + "s");
            command.add("--runstream.worker.redrive-window=" + retention.toSeconds() + "s");
        }
        if (kind.equals("ingress")) {
            command.add("--runstream.ingress.idempotency.window=" + retention.toSeconds() + "s");
            command.add("--runstream.ingress.idempotency.cleanup-interval=60s");
            // a start that waits for its result reads the view from the projection of the same number
            command.add("--runstream.ingress.start-wait.projection-uri=http://127.0.0.1:"
                    + of("projection").get(index - 1).port());
        }
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        services.add(new Service(kind, name, port, process, log, state));
        children.add(name, process.toHandle());
    }

    private void awaitReady(Service service) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " ended; see " + service.log());
            }
            if (ready(service)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service.name() + " not ready within " + READY + "; see " + service.log());
    }

    boolean ready(Service service) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(service.url() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path dir() {
        return dir;
    }

    List<Service> of(String kind) {
        return services.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    /** Sends a POSIX signal (STOP, CONT) to a service. */
    static void signal(Service service, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid())).inheritIO().start().waitFor();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Service service : services) {
            try {
                signal(service, "CONT");
            } catch (IOException e) {
                // it is stopped below either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            service.process().destroy();
        }
        for (Service service : services) {
            try {
                if (!service.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    service.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                service.process().destroyForcibly();
            }
        }
        children.clear();
        infra.close();
    }
}
