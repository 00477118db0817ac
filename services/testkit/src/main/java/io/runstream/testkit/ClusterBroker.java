package io.runstream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The main class of one node of a {@link KafkaCluster}, in a JVM of its own so that a test can kill or freeze it:
 * formats its directory on first start, runs the broker and controller, and ends itself when the JVM that started it
 * is gone (however that ended).
 */
final class ClusterBroker {

    static final String STARTED = "runstream cluster broker started";

    private ClusterBroker() {
    }

    /**
     * The java arguments that run this class with the classes of this JVM: its class path, or, inside a Spring Boot
     * executable jar (the dev stack's), that jar through Boot's launcher, which reads the jars nested in it.
     */
    static java.util.List<String> launcher() {
        String location = ClusterBroker.class.getProtectionDomain().getCodeSource().getLocation().toString();
        if (location.startsWith("jar:nested:") || location.startsWith("nested:")) {
            String path = location.substring(location.indexOf("nested:") + "nested:".length());
            String bootJar = path.substring(0, path.indexOf("/!"));
            return java.util.List.of("-cp", bootJar, "-Dloader.main=" + ClusterBroker.class.getName(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher");
        }
        return java.util.List.of("-cp", System.getProperty("java.class.path"), ClusterBroker.class.getName());
    }

    /** Arguments: the node's properties file, the cluster id, and the pid of the JVM that owns the cluster. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            props.load(in);
        }
        long owner = Long.parseLong(args[2]);
        Path logDir = Path.of(props.getProperty("log.dirs"));
        Files.createDirectories(logDir);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            EmbeddedKafka.format(logDir, props, args[1]);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "broker-shutdown"));
        server.startup();
        System.out.println(STARTED);
        System.out.flush();
        while (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
            Thread.sleep(1_000);
        }
        Runtime.getRuntime().halt(0);
    }
}
