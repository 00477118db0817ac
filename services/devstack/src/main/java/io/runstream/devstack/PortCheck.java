package io.runstream.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Every port the dev stack binds must be free on 127.0.0.1 before anything starts, or it says which and how. */
final class PortCheck {

    private PortCheck() {
    }

    /** A port the dev stack binds, the setting that moves it, and what listens there. */
    private record Needed(int port, String setting, String what) {
    }

    /** Throws with one line naming the first port in use and the setting that moves it. */
    static void requireFree(DevStackSettings settings) {
        List<Needed> needed = new java.util.ArrayList<>(List.of(
                new Needed(settings.gatewayPort(), "RUNSTREAM_GATEWAY_PORT", "the API"),
                new Needed(settings.ingressPort(), "RUNSTREAM_INGRESS_PORT", "the ingress"),
                new Needed(settings.projectionPort(), "RUNSTREAM_PROJECTION_PORT", "the projection"),
                new Needed(settings.workerPort(), "RUNSTREAM_WORKER_PORT", "the worker"),
                new Needed(settings.kafkaPort(), "RUNSTREAM_KAFKA_PORT", "Kafka"),
                new Needed(settings.postgresPort(), "RUNSTREAM_POSTGRES_PORT", "PostgreSQL"),
                new Needed(settings.registryPort(), "RUNSTREAM_REGISTRY_PORT", "the schema registry")));
        for (int node = 2; node <= settings.kafkaNodes(); node++) {
            needed.add(new Needed(settings.kafkaPort() + node - 1, "RUNSTREAM_KAFKA_PORT", "Kafka node " + node));
        }
        for (Needed n : needed) {
            if (!free(n.port())) {
                throw new PortTakenException("Port " + n.port() + " on 127.0.0.1, for " + n.what() + ", is in use"
                        + " by another process; stop it, or set " + n.setting() + " to another port");
            }
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port the dev stack needs is taken; the message is the whole story, for one line on the console. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
