package io.runstream.devstack;

import io.runstream.api.kafka.TopicFollower;
import io.runstream.api.views.LocalExecutionViews;
import io.runstream.gateway.GatewayApplication;
import io.runstream.gateway.LocalServices;
import io.runstream.ingress.IngressApplication;
import io.runstream.projection.ProjectionApplication;
import io.runstream.testkit.Infrastructure;
import io.runstream.worker.WorkerApplication;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.reactive.HttpHandler;

/** The three services in one JVM, each in its own Spring context, pointed at one set of infrastructure. */
public final class DevStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    private final List<ConfigurableApplicationContext> services;
    private final Infrastructure ownedInfrastructure;

    private DevStack(List<ConfigurableApplicationContext> services, Infrastructure ownedInfrastructure) {
        this.services = services;
        this.ownedInfrastructure = ownedInfrastructure;
    }

    /** Starts the infrastructure with durable data, then the services; Ctrl-C stops everything in order. */
    static DevStack start(DevStackSettings settings) throws IOException {
        // what a crashed run of this data directory left behind would hold the ports: it goes first
        for (String ended : Infrastructure.endStale(settings.dataDir())) {
            System.out.println("Ended the " + ended + " left running by an earlier run of " + settings.dataDir());
        }
        PortCheck.requireFree(settings);
        log.info("Starting Kafka, PostgreSQL and the schema registry; data in {}", settings.dataDir());
        Infrastructure infra = Infrastructure.start(settings.dataDir(), settings.kafkaPort(),
                settings.postgresPort(), settings.registryPort(), settings.kafkaNodes());
        DevStack stack = runServices(infra, settings, infra);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "devstack-shutdown"));
        System.out.printf("""

                Runstream is up (data in %s)
                  API         http://127.0.0.1:%d   (X-API-Key: rs_dev_default_key)
                  ingress     http://127.0.0.1:%d   behind the API URL
                  projection  http://127.0.0.1:%d   behind the API URL
                  worker      http://127.0.0.1:%d   GET /actuator/health
                  kafka       %s
                  postgresql  %s (user postgres)
                  registry    %s
                Press Ctrl-C to stop.
                %n""", settings.dataDir(), settings.gatewayPort(), settings.ingressPort(), settings.projectionPort(),
                settings.workerPort(), settings.kafkaNodes() == 1 ? infra.kafkaBootstrapServers()
                        : infra.kafkaBootstrapServers() + " (" + settings.kafkaNodes() + " nodes, 3 copies of each topic)",
                infra.jdbcUrl(), infra.schemaRegistryUrl());
        return stack;
    }

    /**
     * The apps share this JVM's classpath: only the gateway may route, and only the ingress and projection
     * authenticate (each checks API keys itself; the gateway passes the key headers through).
     */
    private static final String GATEWAY = "spring.cloud.gateway.server.webflux.enabled";
    private static final String AUTH = "runstream.auth.enabled";
    /**
     * How long a fetch of the projection's listeners waits at an idle broker: Kafka's 500 ms in a deployment, where a
     * rebalance may give a consumer a partition while a fetch waits (it is read only when that fetch returns, since
     * no new fetch goes to a broker while one waits there). On one broker with one projection, the group's
     * partitions are given once, at the start, before the first fetch, so they wait as long as the topic followers
     * do: a record is answered at once either way, and an idle stack sends a tenth as many empty fetches. What is
     * read again after a seek (the rest of a batch after a dead-lettered record, a batch retried while the database
     * was down) may come up to this long later. The worker's runner waits less ({@link #RUNNER_FETCH_MAX_WAIT}). The
     * worker's global thread pauses nothing, so it waits as long as the projection ({@link #GLOBAL_FETCH_MAX_WAIT});
     * its stream thread pauses only where a long wait costs little ({@link #STREAM_FETCH_MAX_WAIT}).
     */
    private static final String FETCH_MAX_WAIT = "spring.kafka.consumer.fetch-max-wait";
    /**
     * The worker's runner on one broker: 2 s a fetch, a quarter of the empty fetches of Kafka's 500 ms. It pauses the
     * partitions that bring a tenant's dispatches while that tenant holds half of its read-ahead queue, and reads the
     * others on; a resumed partition is read once the fetch that waits for the others returns, so up to this long
     * later when those others are idle. The tenant still has a quarter of the queue waiting then, and a tenant's
     * executions, keyed by id, come on every partition, so most often there is no other partition left to wait for.
     */
    static final long RUNNER_FETCH_MAX_WAIT_MS = 2_000;
    /** The same wait for the worker's global thread, which reads the workflow catalog and the crash reports. */
    static final String GLOBAL_FETCH_MAX_WAIT = "spring.kafka.streams.properties.global.consumer.fetch.max.wait.ms";
    /**
     * The same wait for the worker's stream thread. It pauses a partition only while its task holds a full buffer
     * ({@code buffered.records.per.partition}, a thousand records read and not processed yet), which happens when
     * the worker is far behind, with records waiting on its other partitions too, so a fetch for them does not wait;
     * and while a task restores its stores after a rebalance, which a lone worker has only as its client starts: a
     * task that comes up then after the first fetch went out may be read up to this long later. A committed
     * transaction answers a waiting fetch at once, as a record does.
     */
    static final String STREAM_FETCH_MAX_WAIT = "spring.kafka.streams.properties.main.consumer.fetch.max.wait.ms";

    /**
     * Starts the three services and the gateway in front of them against running infrastructure; closes {@code owned} too when closed, or when a
     * service fails to start.
     */
    public static DevStack runServices(Infrastructure infra, DevStackSettings settings, Infrastructure owned) {
        DevStack stack = new DevStack(new ArrayList<>(), owned);
        String secretsKey = DevSecretsKey.of(settings.dataDir());
        // on a cluster a partition's leader may move to a broker where a fetch already waits: Kafka's default there
        long idleFetchWait = settings.kafkaNodes() == 1 ? TopicFollower.IDLE_FETCH_WAIT_MS : 500;
        String fetchWait = idleFetchWait + "ms";
        long runnerFetchWait = settings.kafkaNodes() == 1 ? RUNNER_FETCH_MAX_WAIT_MS : 500;
        try {
            stack.services.add(run(WorkerApplication.class, "worker", settings.workerPort(),
                    infra.springProperties(null), Map.of("spring.kafka.streams.state-dir",
                            settings.dataDir().resolve("worker-state").toString(), GATEWAY, "false", AUTH, "false",
                            // one worker: there is no other instance to keep a standby copy on
                            "spring.kafka.streams.properties.num.standby.replicas", "0",
                            // on one broker as long as the projection's listeners, the runner less (why: at the
                            // constants)
                            GLOBAL_FETCH_MAX_WAIT, Long.toString(idleFetchWait),
                            STREAM_FETCH_MAX_WAIT, Long.toString(idleFetchWait),
                            FETCH_MAX_WAIT, runnerFetchWait + "ms",
                            // the runner opens secrets with the ingress's key to make the calls that name them
                            "runstream.worker.secrets.keys", secretsKey)));
            ConfigurableApplicationContext projection = run(ProjectionApplication.class, "projection",
                    settings.projectionPort(), infra.springProperties("projection"),
                    Map.of(GATEWAY, "false", FETCH_MAX_WAIT, fetchWait));
            stack.services.add(projection);
            ConfigurableApplicationContext ingress = run(IngressApplication.class, "ingress", settings.ingressPort(),
                    infra.springProperties("ingress"), Map.of(GATEWAY, "false",
                            "runstream.ingress.secrets.keys", secretsKey,
                            // a start that waits for its result reads the view from the projection, in this JVM
                            "runstream.ingress.start-wait.projection-uri",
                            "http://127.0.0.1:" + settings.projectionPort()),
                    context -> context.getBeanFactory().registerSingleton("localExecutionViews",
                            projection.getBean(LocalExecutionViews.class)));
            stack.services.add(ingress);
            String ingressUri = "http://127.0.0.1:" + settings.ingressPort();
            String projectionUri = "http://127.0.0.1:" + settings.projectionPort();
            // the gateway hands each request to the service's handler in this JVM rather than over loopback HTTP
            LocalServices local = new LocalServices(Map.of(URI.create(ingressUri), handler(ingress),
                    URI.create(projectionUri), handler(projection)));
            stack.services.add(run(GatewayApplication.class, "gateway", settings.gatewayPort(), Map.of(),
                    Map.of("runstream.gateway.ingress-uri", ingressUri, "runstream.gateway.projection-uri",
                            projectionUri, AUTH, "false"),
                    context -> context.getBeanFactory().registerSingleton("localServices", local)));
            // each service set logging up again as it started, which reset the worker's quiet call logs
            io.runstream.worker.runner.QuietCallLogs.install();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private static HttpHandler handler(ConfigurableApplicationContext service) {
        return service.getBean(HttpHandler.class);
    }

    private static ConfigurableApplicationContext run(Class<?> application, String name, int port,
            Map<String, String> infrastructure, Map<String, String> extra) {
        return run(application, name, port, infrastructure, extra, context -> { });
    }

    private static ConfigurableApplicationContext run(Class<?> application, String name, int port,
            Map<String, String> infrastructure, Map<String, String> extra,
            ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        long started = System.nanoTime();
        List<String> args = new ArrayList<>();
        args.add("--spring.config.name=" + name);
        args.add("--server.port=" + port);
        // one line per service on the console instead of a banner and the frameworks' start-up chatter
        args.add("--spring.main.banner-mode=off");
        args.add("--spring.main.log-startup-info=false");
        infrastructure.forEach((k, v) -> args.add("--" + k + "=" + v));
        extra.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .initializers(initializer)
                .run(args.toArray(String[]::new));
        System.out.printf("  %-11s started in %4.1f s on http://127.0.0.1:%d%n", name,
                (System.nanoTime() - started) / 1e9, port);
        return context;
    }

    /** The running apps' contexts, for tests that check what the services really serve. */
    List<ConfigurableApplicationContext> contexts() {
        return List.copyOf(services);
    }

    @Override
    public synchronized void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (ownedInfrastructure != null) {
            ownedInfrastructure.close();
        }
    }
}
