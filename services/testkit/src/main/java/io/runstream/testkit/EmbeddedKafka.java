package io.runstream.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** A real single-node KRaft Kafka broker and controller, in this JVM, listening on 127.0.0.1 only. */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker whose logs live in {@code logDir}; an already formatted directory keeps its data. */
    public static EmbeddedKafka start(Path logDir, int port) throws IOException {
        int controllerPort = Ports.free();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // the controller writes a no-op record to the metadata log when nothing else was written for this long (Kafka's
        // 500 ms), so that the log's readers can tell it is moving; for this one node every 5 s is enough, and an idle
        // stack writes and applies a tenth as many
        props.put("metadata.max.idle.interval.ms", "5000");
        // Threads sized for the one machine it shares with the services, not for a broker's own (Kafka's 8 request
        // handlers for the broker and 8 more for the controller, 3 network threads a listener, 4 group coordinator
        // threads): each idle one wakes every 300 ms to look for work.
        props.put("num.io.threads", "2");
        props.put("num.network.threads", "1");
        props.put("group.coordinator.threads", "1");
        Files.createDirectories(logDir);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, props, Uuid.randomUuid().toString());
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            // what did start (the controller, its threads) must not outlive the failed start
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return new EmbeddedKafka(server, "127.0.0.1:" + port);
    }

    /** Formats {@code logDir} as a node of the cluster {@code clusterId}, described by {@code props}. */
    static void format(Path logDir, Properties props, String clusterId) throws IOException {
        Path config = logDir.resolveSibling(logDir.getFileName() + "-format.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "Runstream embedded KRaft broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId,
                "-c", config.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        Files.deleteIfExists(config);
        if (rc != 0) {
            throw new IOException("Formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
