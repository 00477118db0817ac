package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.transport.AddressUtils;

/**
 * The runner's resolver on every form of a host, built as Reactor Netty builds it from a URI: a blocked one never
 * comes back as an address to connect to. Nothing here connects anywhere, so it covers forms that would leave the
 * machine if they were let through (IPv4-compatible, NAT64, 6to4 and Teredo addresses go to the default route).
 */
class GuardedResolverGroupTest {

    private static final DefaultEventExecutor EXECUTOR = new DefaultEventExecutor();

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    static Stream<Arguments> blocked() {
        Stream<Arguments> loopback = Stream.of("127.0.0.1", "localhost", "::ffff:127.0.0.1", "::ffff:7f00:1",
                "::127.0.0.1", "::ffff:0:127.0.0.1", "64:ff9b::7f00:1", "64:ff9b:1::7f00:1", "2002:7f00:1::",
                "2001:0:4136:e378:8000:63bf:80ff:fffe", "2130706433", "0177.0.0.1", "0x7f000001", "017700000001",
                "0x7f.1", "127.1", "0.0.0.0", "0", "::", "::1", "fd00::2", "10.1.2.3", "::ffff:192.168.0.1")
                .map(host -> Arguments.of(host, "production"));
        Stream<Arguments> metadata = Stream.of("169.254.169.254", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe",
                "::169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::", "2852039166", "0xa9fea9fe",
                "0251.0376.0251.0376", "fe80::1", "fe80::1%1", "fe80::1%eth0", "fe80::1%25eth0", "fd00:ec2::254", "100.100.100.200")
                .flatMap(host -> Stream.of(Arguments.of(host, "default"), Arguments.of(host, "production")));
        return Stream.concat(loopback, metadata);
    }

    @ParameterizedTest(name = "{0} with the {1} list")
    @MethodSource("blocked")
    void shouldRefuseEveryFormOfABlockedAddressBeforeAConnectionIsMade(String host, String list) {
        AddressResolver<InetSocketAddress> resolver = resolver(list.equals("default") ? EgressPolicyTest.DEFAULT
                : EgressPolicyTest.PRODUCTION);
        InetSocketAddress address = AddressUtils.createUnresolved(host, 8080);

        Future<InetSocketAddress> one = resolver.resolve(address).awaitUninterruptibly();
        Future<List<InetSocketAddress>> all = resolver.resolveAll(address).awaitUninterruptibly();

        for (Future<?> resolved : List.of(one, all)) {
            assertThat(resolved.isSuccess()).as("resolved to %s", resolved.getNow()).isFalse();
            assertThat(resolved.cause()).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("blocked by runstream.worker.http.blocked-networks");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1",
        "64:ff9b::7f00:1", "2002:7f00:1::", "2130706433", "0.0.0.0", "::1", "10.1.2.3"})
    void shouldResolveTheSameFormsWhenTheDefaultListLeavesThemOpen(String host) {
        AddressResolver<InetSocketAddress> resolver = resolver(EgressPolicyTest.DEFAULT);

        Future<InetSocketAddress> one = resolver.resolve(AddressUtils.createUnresolved(host, 8080))
                .awaitUninterruptibly();

        assertThat(one.isSuccess()).as("%s", one.cause()).isTrue();
        assertThat(one.getNow().isUnresolved()).isFalse();
    }

    private AddressResolver<InetSocketAddress> resolver(List<String> blockedNetworks) {
        return new GuardedResolverGroup(new EgressPolicy(blockedNetworks)).getResolver(EXECUTOR);
    }
}
