package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dev stack as a user runs it, {@code java -jar runstream-devstack.jar}, killed as an out-of-memory kill would
 * kill it: its registry and PostgreSQL processes end with it; if they were left running anyway, the next start
 * ends them and comes up with the data kept; and a port taken by something else is one clear line.
 */
class DevStackRecoveryIT {

    private static final Path JAR = Path.of("target/runstream-devstack.jar");
    private static final String KEY = "rs_dev_default_key";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path data = temp();
    private final Map<String, String> env = ports();
    private Process running;

    @AfterEach
    void stop() throws Exception {
        if (running != null && running.isAlive()) {
            running.destroy();
            running.waitFor();
        }
        for (ProcessHandle child : recorded()) {
            child.destroyForcibly();
        }
    }

    @Test
    void shouldEndItsChildrenWhenKilledAndEndStaleOnesOnTheNextStart() throws Exception {
        Process first = start("first");
        awaitUp(first, "first");
        assertThat(send("PUT", "/v1/workflows/kept", """
                document: {dsl: '1.0.0', namespace: t, name: kept, version: '0.1.0'}
                do: [{mark: {set: {kept: true}}}]
                """)).isEqualTo(201);
        List<ProcessHandle> children = recorded();
        assertThat(children).as("the registry and PostgreSQL are recorded").hasSize(2);

        Instant killed = Instant.now();
        first.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(DevStackRecoveryIT::running));
        double ended = Duration.between(killed, Instant.now()).toMillis() / 1000.0;

        // the watchdog killed too: the children outlive the launcher, and the next start ends them
        Process second = start("second");
        awaitUp(second, "second");
        List<ProcessHandle> left = recorded();
        ProcessHandle watchdog = second.children().filter(p -> p.info().command().orElse("").endsWith("sh"))
                .findFirst().orElseThrow();
        watchdog.destroyForcibly();
        second.destroyForcibly();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(left).as("nothing ended them this time").allMatch(DevStackRecoveryIT::running);

        Process third = start("third");
        awaitUp(third, "third");
        assertThat(left).noneMatch(DevStackRecoveryIT::running);
        String log = Files.readString(data.resolve("third.log"));
        assertThat(log).contains("Ended the schema registry", "Ended the PostgreSQL");
        assertThat(send("GET", "/v1/workflows/kept", null)).as("the data is kept").isEqualTo(200);
        System.out.printf("devstack-kill: registry and PostgreSQL ended %.1f s after a kill -9 of the launcher;"
                + " with the watchdog killed too, the next start ended %d stale children and came up with the data"
                + " kept%n", ended, left.size());

        List<ProcessHandle> last = recorded();
        third.destroy();
        third.waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> last.stream().noneMatch(DevStackRecoveryIT::running));
        assertThat(data.resolve("runstream-children.pid")).as("an orderly stop leaves nothing to end").doesNotExist();
    }

    @Test
    void shouldSayInOneLineWhichPortIsTakenAndWhichSettingMovesIt() throws Exception {
        int port = Integer.parseInt(env.get("RUNSTREAM_GATEWAY_PORT"));
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            Process process = start("taken");
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            List<String> errors = Files.readAllLines(data.resolve("taken.err"));
            assertThat(errors).containsExactly("Port " + port + " on 127.0.0.1, for the API, is in use by another"
                    + " process; stop it, or set RUNSTREAM_GATEWAY_PORT to another port");
        }
        assertThat(recorded()).as("nothing was started").isEmpty();
    }

    private Process start(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx768m", "-jar", JAR.toAbsolutePath().toString())
                .redirectOutput(data.resolve(name + ".log").toFile())
                .redirectError(data.resolve(name + ".err").toFile());
        builder.environment().putAll(env);
        running = builder.start();
        return running;
    }

    private void awaitUp(Process process, String name) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the dev stack exited with " + process.exitValue() + ": "
                        + Files.readString(data.resolve(name + ".err")));
            }
            try {
                return send("GET", "/v1/workflows", null) == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private int send(String method, String path, String yaml) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + env.get("RUNSTREAM_GATEWAY_PORT") + path)).header("X-API-Key", KEY)
                .timeout(Duration.ofSeconds(10));
        request = yaml == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/yaml").method(method,
                        HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The children the pid file records, that still run. */
    private List<ProcessHandle> recorded() throws IOException {
        Path file = data.resolve("runstream-children.pid");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(line -> Long.parseLong(line.split("\t")[1]))
                .map(ProcessHandle::of).flatMap(java.util.Optional::stream).filter(DevStackRecoveryIT::running)
                .toList();
    }

    /** Alive, and not a zombie that nothing has reaped yet (it has no command any more). */
    private static boolean running(ProcessHandle process) {
        return process.isAlive() && process.info().command().isPresent();
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("runstream-recovery-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, String> ports() {
        Map<String, String> vars = new HashMap<>();
        vars.put("RUNSTREAM_DATA_DIR", data.toString());
        for (String name : List.of("GATEWAY", "INGRESS", "PROJECTION", "WORKER", "KAFKA", "POSTGRES", "REGISTRY")) {
            vars.put("RUNSTREAM_" + name + "_PORT", Integer.toString(Ports.free()));
        }
        return vars;
    }
}
