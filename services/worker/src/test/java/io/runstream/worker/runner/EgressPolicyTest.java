package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.testkit.HttpStub;
import io.runstream.worker.runner.HttpCaller.HttpCall;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {

    @Test
    void shouldMatchAddressesInsideBlockedNetworksOnly() throws Exception {
        EgressPolicy policy = new EgressPolicy(List.of("169.254.0.0/16", "10.0.0.0/8", "fc00::/7", "192.168.1.7"));

        assertThat(policy.allows(InetAddress.getByName("169.254.169.254"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("10.200.3.4"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("fd12::1"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("192.168.1.7"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("192.168.1.8"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("11.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("::1"))).isTrue();
    }

    @Test
    void shouldRefuseAMalformedBlock() {
        assertThatThrownBy(() -> new EgressPolicy(List.of("10.0.0.0/40"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EgressPolicy(List.of("10.0.0.0/x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverConnectToABlockedAddressWhetherNamedOrLiteral() {
        try (HttpStub stub = new HttpStub()) {
            var caller = new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20,
                    List.of("127.0.0.0/8"), io.micrometer.observation.ObservationRegistry.NOOP);
            int port = URI.create(stub.baseUrl()).getPort();
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpCall call = new HttpCall("GET", URI.create("http://" + host + ":" + port + "/orders/1"), Map.of(),
                        null);
                assertThatThrownBy(() -> caller.exchange(call).block(Duration.ofSeconds(5)))
                        .as(host).hasMessageContaining("blocked by runstream.worker.http.blocked-networks");
            }
            assertThat(stub.calls("/orders/1")).isZero();

            var open = new WebClientHttpCaller(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20,
                    List.of("169.254.0.0/16"), io.micrometer.observation.ObservationRegistry.NOOP);
            assertThat(open.exchange(new HttpCall("GET", URI.create(stub.baseUrl() + "/orders/1"), Map.of(), null))
                    .block(Duration.ofSeconds(5)).status()).isEqualTo(200);
        }
    }
}
