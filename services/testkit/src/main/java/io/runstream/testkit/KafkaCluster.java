package io.runstream.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KRaft cluster of brokers on 127.0.0.1, each node (broker and controller) in a JVM of its own, for fault tests:
 * a node can be killed with SIGKILL, frozen with SIGSTOP, and started again on the same ports and data. The
 * transaction and offsets topics get replication factor 3 and {@code min.insync.replicas} 2, so one node down loses
 * no acknowledged write and stops no exactly-once writer; other topics get Kafka's default of 1 copy unless their
 * creator asks for more. Leaders move within a few seconds of a node's death (a short
 * broker session), rather than Kafka's default 9 s.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final Duration STARTUP = Duration.ofSeconds(120);
    /** How long {@link #close} waits for the nodes to stop by themselves, all together. */
    private static final Duration STOP = Duration.ofSeconds(10);

    private final Path dir;
    private final String clusterId;
    private final List<Node> nodes;

    private KafkaCluster(Path dir, String clusterId, List<Node> nodes) {
        this.dir = dir;
        this.clusterId = clusterId;
        this.nodes = nodes;
    }

    /**
     * Starts {@code size} nodes with their data under {@code dir}, and returns once all of them serve; the brokers
     * listen on {@code firstPort} and the ports after it, or on free ports when it is 0. A directory used before
     * keeps its data (and its cluster id, in {@code cluster.id}).
     */
    public static KafkaCluster start(Path dir, int size, int firstPort) throws IOException {
        long started = System.nanoTime();
        List<int[]> ports = IntStream.range(0, size).mapToObj(i -> new int[] {
            firstPort == 0 ? Ports.free() : firstPort + i, Ports.free()}).toList();
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(i)[1])
                .collect(Collectors.joining(","));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i + 1, ports.get(i)[0], ports.get(i)[1], dir.resolve("node-" + (i + 1)), voters,
                    Math.min(3, size)));
        }
        Files.createDirectories(dir);
        Path idFile = dir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        KafkaCluster cluster = new KafkaCluster(dir, Files.readString(idFile).trim(), nodes);
        try {
            cluster.startAll();
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info("Kafka cluster of {} up in {} ms: {}", size, (System.nanoTime() - started) / 1_000_000,
                cluster.bootstrapServers());
        return cluster;
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    /** Node ids, from 1. */
    public List<Integer> nodeIds() {
        return nodes.stream().map(n -> n.id).toList();
    }

    /** SIGKILL of node {@code id}: nothing is flushed or handed over; returns once the process is gone. */
    public void kill(int id) {
        node(id).kill();
    }

    /** Starts node {@code id} again, on its ports and data, and returns once it serves. */
    public void restart(int id) throws IOException {
        Node node = node(id);
        node.launch(dir, clusterId);
        node.awaitStarted();
    }

    /** SIGKILL of every node, then nothing serves until {@link #startAll()}. */
    public void killAll() {
        nodes.forEach(Node::kill);
    }

    /** Starts every node that is not running, together (a quorum needs a majority), and waits until all serve. */
    public void startAll() throws IOException {
        for (Node node : nodes) {
            if (!node.isAlive()) {
                node.launch(dir, clusterId);
            }
        }
        for (Node node : nodes) {
            node.awaitStarted();
        }
    }

    /** SIGSTOP of node {@code id}; closing the result sends SIGCONT. */
    public Infrastructure.Frozen freeze(int id) {
        ProcessHandle process = node(id).process.toHandle();
        Signals.send("STOP", List.of(process));
        return () -> Signals.send("CONT", List.of(process));
    }

    /** The node that leads the most partitions of {@code topic} now. */
    public int leaderOfMost(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            return description.partitions().stream().filter(p -> p.leader() != null)
                    .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting())).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
    }

    /** Partitions of {@code topics} that have fewer in-sync replicas than replicas, or no leader. */
    public long underReplicated(List<String> topics) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .filter(p -> p.leader() == null || p.isr().size() < p.replicas().size()).count();
        }
    }

    /** The replication factor and {@code min.insync.replicas} of {@code topic}, as the cluster holds them. */
    public int[] replication(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicPartitionInfo partition = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic).partitions().get(0);
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            String minIsr = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get("min.insync.replicas").value();
            return new int[] {partition.replicas().size(), Integer.parseInt(minIsr)};
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private Node node(int id) {
        return nodes.stream().filter(n -> n.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No node " + id + " in " + nodeIds()));
    }

    /**
     * Stops every node at once and waits for them together, at most {@link #STOP} in all, then kills what is left.
     * One after another, each node's orderly shutdown waited for a quorum that the nodes stopped before it had left
     * (20 s each), and a test JVM's exit outlasted what Maven waits for.
     */
    @Override
    public synchronized void close() {
        for (Node node : nodes) {
            node.terminate();
        }
        long deadline = System.nanoTime() + STOP.toNanos();
        for (Node node : nodes) {
            node.awaitEnd(deadline);
        }
    }

    /** One node: its ports and directory, which it keeps across restarts, and its current process. */
    private static final class Node {

        final int id;
        final int port;
        final int controllerPort;
        final Path dir;
        final Properties props = new Properties();
        Process process;
        Path log;

        Node(int id, int port, int controllerPort, Path dir, String voters, int replicas) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.dir = dir;
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(id));
            props.put("controller.quorum.voters", voters);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", dir.resolve("data").toAbsolutePath().toString());
            String minIsr = Integer.toString(Math.max(1, replicas - 1));
            props.put("num.partitions", "3");
            // Kafka's own default of 1 copy for other topics, as on many a production cluster: a topic with 3 copies
            // has them because the service that created it asked for them (runstream.kafka.replication-factor). The
            // offsets topic takes its min.insync.replicas (2) from here
            props.put("default.replication.factor", "1");
            props.put("min.insync.replicas", minIsr);
            props.put("unclean.leader.election.enable", "false");
            props.put("offsets.topic.replication.factor", Integer.toString(replicas));
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", Integer.toString(replicas));
            props.put("transaction.state.log.min.isr", minIsr);
            props.put("transaction.state.log.num.partitions", "5");
            props.put("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
            props.put("share.coordinator.state.topic.min.isr", minIsr);
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            // a dead node is fenced, and its partitions' leadership moved, within about 3 s
            props.put("broker.session.timeout.ms", "3000");
            props.put("broker.heartbeat.interval.ms", "500");
            props.put("replica.lag.time.max.ms", "5000");
            props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        }

        void launch(Path clusterDir, String clusterId) throws IOException {
            Files.createDirectories(dir);
            Path config = dir.resolve("node.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Runstream test cluster node " + id);
            }
            log = dir.resolve("node-" + System.nanoTime() + ".log");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            command.addAll(ClusterBroker.launcher());
            command.addAll(List.of(config.toString(), clusterId, Long.toString(ProcessHandle.current().pid())));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        void awaitStarted() throws IOException {
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.readString(log).contains(ClusterBroker.STARTED)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IOException("Kafka node " + id + " ended with " + process.exitValue() + "; see " + log);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while node " + id + " started", e);
                }
            }
            throw new IOException("Kafka node " + id + " did not start within " + STARTUP + "; see " + log);
        }

        void kill() {
            if (isAlive()) {
                Signals.send("CONT", List.of(process.toHandle()));
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Asks the node to stop (SIGTERM), woken first if it is frozen. */
        void terminate() {
            if (isAlive()) {
                Signals.send("CONT", List.of(process.toHandle()));
                process.destroy();
            }
        }

        /** Waits for the node to end until {@code deadline} (a {@link System#nanoTime}), then kills it. */
        void awaitEnd(long deadline) {
            if (process == null) {
                return;
            }
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }
}
