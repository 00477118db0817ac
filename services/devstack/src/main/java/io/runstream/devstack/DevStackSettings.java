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
 */
public record DevStackSettings(Path dataDir, int kafkaPort, int postgresPort, int registryPort, int gatewayPort,
        int ingressPort, int projectionPort, int workerPort) {

    static DevStackSettings fromEnvironment(Map<String, String> env) {
        return new DevStackSettings(
                Path.of(env.getOrDefault("RUNSTREAM_DATA_DIR", ".runstream")).toAbsolutePath(),
                port(env, "RUNSTREAM_KAFKA_PORT", 9092),
                port(env, "RUNSTREAM_POSTGRES_PORT", 15432),
                port(env, "RUNSTREAM_REGISTRY_PORT", 8085),
                port(env, "RUNSTREAM_GATEWAY_PORT", 8080),
                port(env, "RUNSTREAM_INGRESS_PORT", 8081),
                port(env, "RUNSTREAM_PROJECTION_PORT", 8082),
                port(env, "RUNSTREAM_WORKER_PORT", 8083));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
