package io.runstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface, for a server that binds them later (a stack started with its ports, a
 * node started again on its old port).
 *
 * <p>They come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), not from a bind to
 * port 0: the kernel hands out ports of that range to every outgoing connection and to every other server that binds
 * port 0, and a port found free there could be taken by one of them, in this JVM or in another test JVM beside it,
 * before its server binds it (a dev stack's PostgreSQL port was, once, between a kill and the next start). No
 * connection and no bind to port 0 takes a port below the range. A port is handed out once per JVM; where the range
 * cannot be read, or leaves too little room below it, the kernel picks, as before.
 */
public final class Ports {

    /** The lowest port handed out: above the ports that well-known servers listen on. */
    static final int LOWEST = 16_384;
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 1_000;
    private static final Set<Integer> handedOut = new HashSet<>();

    private Ports() {
    }

    /** A port free on 127.0.0.1 now, that no outgoing connection and no bind to port 0 will take. */
    public static int free() {
        return freeRun(1);
    }

    /** The first of {@code count} consecutive ports free on 127.0.0.1 now (a cluster's brokers, one port each). */
    public static synchronized int freeRun(int count) {
        int below = ephemeralLow(RANGE).orElse(LOWEST);
        boolean roomBelow = below - LOWEST >= 1_024;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = roomBelow ? ThreadLocalRandom.current().nextInt(LOWEST, below - count + 1) : kernelPick();
            if (first + count - 1 <= 65_535 && allFree(first, count)) {
                for (int port = first; port < first + count; port++) {
                    handedOut.add(port);
                }
                return first;
            }
        }
        throw new IllegalStateException("No " + count + " consecutive free ports on 127.0.0.1"
                + (roomBelow ? " between " + LOWEST + " and " + below : ""));
    }

    /** The low end of the kernel's ephemeral range, as the file holds it ("32768\t60999"), if it can be read. */
    static Optional<Integer> ephemeralLow(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty()
                    : Optional.of(Integer.parseInt(lines.get(0).trim().split("\\s+")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (handedOut.contains(port) || !bindable(port)) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName("127.0.0.1");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where no room below the ephemeral range is known: the kernel's choice of a free port, as before. */
    private static int kernelPick() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        }
    }
}
