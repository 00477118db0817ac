package io.runstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Test
    void shouldHandOutPortsBelowTheKernelsEphemeralRangeThatNoConnectionOrBindToZeroTakes() throws IOException {
        int low = Ports.ephemeralLow(RANGE).orElseThrow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(Ports.LOWEST, low - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        // what the kernel gives servers that bind port 0 lies in the range, never on a port handed out
        List<ServerSocket> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                servers.add(server);
                assertThat(server.getLocalPort()).isGreaterThanOrEqualTo(low).isNotIn(seen);
            }
        } finally {
            for (ServerSocket server : servers) {
                server.close();
            }
        }
    }

    @Test
    void shouldHandOutAPortThatCanBeBound() throws IOException {
        int port = Ports.free();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void shouldHandOutConsecutivePortsThatCanAllBeBound() throws IOException {
        int first = Ports.freeRun(3);
        List<ServerSocket> servers = new ArrayList<>();
        try {
            for (int port = first; port < first + 3; port++) {
                ServerSocket server = new ServerSocket();
                servers.add(server);
                server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            }
        } finally {
            for (ServerSocket server : servers) {
                server.close();
            }
        }
    }

    @Test
    void shouldReadTheRangeAsTheKernelWritesItAndNothingFromAnUnreadableFile(@TempDir Path dir) throws IOException {
        Path range = Files.writeString(dir.resolve("range"), "32768\t60999\n");
        assertThat(Ports.ephemeralLow(range)).contains(32768);
        assertThat(Ports.ephemeralLow(Files.writeString(dir.resolve("garbage"), "low high\n"))).isEmpty();
        assertThat(Ports.ephemeralLow(Files.writeString(dir.resolve("empty"), ""))).isEmpty();
        assertThat(Ports.ephemeralLow(dir.resolve("missing"))).isEmpty();
    }
}
