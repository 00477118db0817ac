package io.runstream.devstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the dev stack keeps its data and which loopback ports it uses; each can be changed with an environment
 * variable (RUNSTREAM_DATA_DIR, RUNSTREAM_KAFKA_PORT, ...).
 *
 * @param dataDir Kafka logs, PostgreSQL data, registry data and worker state; kept across restarts
 * @param kafkaPort Kafka broker port
 * @param postgresPort PostgreSQL port
 * @param registryPort schema registry port
 * @param gatewayPort the API's one base URL (the gateway)
 * @param ingressPort ingress HTTP port
 * @param projectionPort projection HTTP port
 * @param workerPort worker HTTP port (health only)
 * @param kafkaNodes 1 for one embedded broker; 3 (or more) for a KRaft cluster of that many nodes, each a JVM of its
 *     own with its broker on {@code kafkaPort} and the ports after it, and every topic replicated 3 times
 */
public record DevStackSettings(Path dataDir, int kafkaPort, int postgresPort, int registryPort, int gatewayPort,
        int ingressPort, int projectionPort, int workerPort, int kafkaNodes) {

    public DevStackSettings {
        if (kafkaNodes != 1 && kafkaNodes < 3) {
            throw new IllegalArgumentException("RUNSTREAM_KAFKA_NODES must be 1, or 3 or more (a cluster of 2 loses"
                    + " its quorum with either node): " + kafkaNodes);
        }
    }

    /** Settings with one embedded broker. */
    public DevStackSettings(Path dataDir, int kafkaPort, int postgresPort, int registryPort, int gatewayPort,
            int ingressPort, int projectionPort, int workerPort) {
        this(dataDir, kafkaPort, postgresPort, registryPort, gatewayPort, ingressPort, projectionPort, workerPort, 1);
    }

    static DevStackSettings fromEnvironment(Map<String, String> env) {
        return new DevStackSettings(
                Path.of(env.getOrDefault("RUNSTREAM_DATA_DIR", ".runstream")).toAbsolutePath(),
                port(env, "RUNSTREAM_KAFKA_PORT", 9092),
                port(env, "RUNSTREAM_POSTGRES_PORT", 15432),
                port(env, "RUNSTREAM_REGISTRY_PORT", 8085),
                port(env, "RUNSTREAM_GATEWAY_PORT", 8080),
                port(env, "RUNSTREAM_INGRESS_PORT", 8081),
                port(env, "RUNSTREAM_PROJECTION_PORT", 8082),
                port(env, "RUNSTREAM_WORKER_PORT", 8083),
                port(env, "RUNSTREAM_KAFKA_NODES", 1));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
