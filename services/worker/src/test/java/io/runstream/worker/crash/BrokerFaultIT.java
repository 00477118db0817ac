package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.KafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of the Kafka cluster under two worker JVMs with executions in flight, on a 3-node cluster with replication
 * factor 3 and {@code min.insync.replicas} 2: a node killed with SIGKILL (the one leading most of the executions'
 * partitions) and started again, the whole cluster killed and started again, and a worker frozen while a node is
 * down. What a user would check: every execution ends once, with each call made once and no completed step run
 * again. The outage lasts {@code runstream.fault.outage} (10 s in CI; the README's fault profile sets 30 s) and the
 * run has {@code runstream.fault.executions} executions (100; 300 in the profile).
 */
class BrokerFaultIT {

    private static KafkaCluster cluster;
    private static final Duration OUTAGE = Duration.parse(System.getProperty("runstream.fault.outage", "PT10S"));
    private static final int EXECUTIONS = Integer.getInteger("runstream.fault.executions", 100);
    /**
     * How late a wait may end after the outage: a bound against waits stuck for good, not a measure of speed (on a
     * loaded 2-core machine takeovers took up to 100 s).
     */
    private static final Duration LATE = OUTAGE.plusSeconds(180);
    /** The settings a production deployment gives the services on a cluster of 3. */
    private static final Map<String, String> REPLICATED = Map.of("runstream.kafka.replication-factor", "3",
            "runstream.kafka.min-insync-replicas", "2");

    @BeforeAll
    static void startCluster() throws Exception {
        Infrastructure.shared();
        cluster = KafkaCluster.start(java.nio.file.Files.createTempDirectory("runstream-cluster-"), 3, 0);
    }

    /** Its 3 JVMs go before the module's other tests run. */
    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldLoseAndRepeatNothingWhenTheBrokerLeadingMostPartitionsIsKilled() throws Exception {
        AtomicInteger killed = new AtomicInteger();
        CrashFigures figures = WorkerCrashIT.run(cluster.bootstrapServers(), "broker-kill", EXECUTIONS,
                REPLICATED, workers -> {
                    killed.set(cluster.leaderOfMost(workers.app() + ".status"));
                    cluster.kill(killed.get());
                    pause(OUTAGE);
                    cluster.restart(killed.get());
                });
        figures.printOutage("broker-kill", "node " + killed.get() + " down " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLostOrRepeated(LATE);
        assertReplicated(figures.app);
    }

    @Test
    void shouldFinishEveryExecutionOnceWhenTheWholeClusterIsKilledAndStartedAgain() throws Exception {
        CrashFigures figures = WorkerCrashIT.run(cluster.bootstrapServers(), "cluster-stop", EXECUTIONS,
                REPLICATED, workers -> {
                    cluster.killAll();
                    pause(OUTAGE);
                    cluster.startAll();
                });
        figures.printOutage("cluster-stop", "all 3 nodes down " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLostOrRepeated(LATE);
    }

    @Test
    void shouldLoseAndRepeatNothingWhenAWorkerIsFrozenWhileABrokerIsDown() throws Exception {
        AtomicInteger killed = new AtomicInteger();
        CrashFigures figures = WorkerCrashIT.run(cluster.bootstrapServers(), "frozen-worker-broker-down",
                EXECUTIONS, REPLICATED, workers -> {
                    killed.set(cluster.leaderOfMost(workers.app() + ".status"));
                    cluster.kill(killed.get());
                    workers.get(0).signal("STOP");
                    // past the worker's session timeout (10 s), so its partitions move to the other worker
                    pause(OUTAGE.compareTo(Duration.ofSeconds(16)) > 0 ? OUTAGE : Duration.ofSeconds(16));
                    workers.get(0).signal("CONT");
                    cluster.restart(killed.get());
                });
        figures.printOutage("frozen-worker-broker-down", "node " + killed.get() + " down and worker a frozen "
                + Math.max(16, OUTAGE.toSeconds()) + " s");
        figures.assertNothingLostOrRepeated(LATE);
    }

    /** The services' settings reached the cluster: the executions' topics and the Streams changelogs have 3 copies. */
    private static void assertReplicated(String app) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.underReplicated(List.of(app + ".status")) == 0);
        assertThat(cluster.replication(app + ".status")).as("replicas, min.insync.replicas of the status topic")
                .containsExactly(3, 2);
        try (var admin = cluster.admin()) {
            List<String> changelogs = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(app) && t.endsWith("-changelog")).toList();
            assertThat(changelogs).as("the worker's state store changelogs").isNotEmpty();
            for (String changelog : changelogs) {
                assertThat(cluster.replication(changelog)).as(changelog).containsExactly(3, 2);
            }
        }
        assertThat(cluster.replication("__transaction_state")).containsExactly(3, 2);
    }

    private static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }
}
