package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.netty.transport.AddressUtils;

/** The policy's decision on every way of writing an address, against the documented default and production lists. */
class EgressPolicyTest {

    /** {@code runstream.worker.http.blocked-networks} as worker.yml sets it. */
    static final List<String> DEFAULT = List.of("169.254.0.0/16", "fe80::/10", "100.100.100.200/32",
            "fd00:ec2::254/128");

    /** The production list the README documents: the default and the internal networks. */
    static final List<String> PRODUCTION = Stream.concat(DEFAULT.stream(), Stream.of("0.0.0.0/8", "127.0.0.0/8",
            "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.168.0.0/16", "::/128", "::1/128", "fc00::/7"))
            .toList();

    private static final EgressPolicy DEFAULT_POLICY = new EgressPolicy(DEFAULT);
    private static final EgressPolicy PRODUCTION_POLICY = new EgressPolicy(PRODUCTION);

    /** An address literal, whether the default list lets it through, and whether the production list does. */
    static Stream<Arguments> addresses() {
        return Stream.of(
                // loopback, in every form that reaches it
                Arguments.of("127.0.0.1", true, false),
                Arguments.of("127.255.0.9", true, false),
                Arguments.of("::ffff:127.0.0.1", true, false),
                Arguments.of("::ffff:7f00:1", true, false),
                Arguments.of("0:0:0:0:0:ffff:7f00:0001", true, false),
                Arguments.of("::127.0.0.1", true, false),
                Arguments.of("::7f00:1", true, false),
                Arguments.of("::ffff:0:127.0.0.1", true, false),
                Arguments.of("64:ff9b::127.0.0.1", true, false),
                Arguments.of("64:ff9b::7f00:1", true, false),
                Arguments.of("64:ff9b:1::127.0.0.1", true, false),
                Arguments.of("64:ff9b:1:ab:cd::7f00:1", true, false),
                Arguments.of("2002:7f00:1::", true, false),
                Arguments.of("2002:7f00:1:5::9", true, false),
                Arguments.of("2001:0:4136:e378:8000:63bf:80ff:fffe", true, false),
                Arguments.of("2001:0:7f00:1::", true, false),
                Arguments.of("::1", true, false),
                Arguments.of("::", true, false),
                Arguments.of("0.0.0.0", true, false),
                Arguments.of("0.1.2.3", true, false),
                Arguments.of("::ffff:0.0.0.0", true, false),
                // cloud metadata, blocked by both lists however it is written
                Arguments.of("169.254.169.254", false, false),
                Arguments.of("::ffff:169.254.169.254", false, false),
                Arguments.of("::ffff:a9fe:a9fe", false, false),
                Arguments.of("::169.254.169.254", false, false),
                Arguments.of("::ffff:0:169.254.169.254", false, false),
                Arguments.of("64:ff9b::169.254.169.254", false, false),
                Arguments.of("64:ff9b:1::a9fe:a9fe", false, false),
                Arguments.of("2002:a9fe:a9fe::1", false, false),
                Arguments.of("2001:0:4136:e378:8000:63bf:5601:5601", false, false),
                Arguments.of("100.100.100.200", false, false),
                Arguments.of("::ffff:100.100.100.200", false, false),
                Arguments.of("64:ff9b::100.100.100.200", false, false),
                Arguments.of("fd00:ec2::254", false, false),
                // link-local
                Arguments.of("169.254.0.1", false, false),
                Arguments.of("fe80::1", false, false),
                Arguments.of("fe80::1%1", false, false),
                Arguments.of("febf:ffff::1", false, false),
                // internal networks, open by default, blocked in production in every form
                Arguments.of("10.1.2.3", true, false),
                Arguments.of("::ffff:10.1.2.3", true, false),
                Arguments.of("::10.1.2.3", true, false),
                Arguments.of("64:ff9b::10.1.2.3", true, false),
                Arguments.of("2002:a01:203::", true, false),
                Arguments.of("172.16.0.1", true, false),
                Arguments.of("172.31.255.255", true, false),
                Arguments.of("2002:ac10:1::", true, false),
                Arguments.of("192.168.1.1", true, false),
                Arguments.of("::ffff:192.168.1.1", true, false),
                Arguments.of("100.64.0.1", true, false),
                Arguments.of("fd12::1", true, false),
                Arguments.of("fc00::1", true, false),
                // public addresses, open in both, however written
                Arguments.of("203.0.113.7", true, true),
                Arguments.of("177.0.0.1", true, true),
                Arguments.of("172.32.0.1", true, true),
                Arguments.of("::ffff:203.0.113.7", true, true),
                Arguments.of("::203.0.113.7", true, true),
                Arguments.of("64:ff9b::203.0.113.7", true, true),
                Arguments.of("64:ff9b:1::203.0.113.7", true, true),
                Arguments.of("2002:cb00:7107::1", true, true),
                Arguments.of("2001:0:4136:e378:8000:63bf:34ff:8ef8", true, true),
                Arguments.of("2001:db8::1", true, true),
                Arguments.of("2606:4700:4700::1111", true, true));
    }

    @ParameterizedTest(name = "{0}: default allows {1}, production allows {2}")
    @MethodSource("addresses")
    void shouldDecideOnEveryFormOfAnAddressAsOnTheAddressItCarries(String literal, boolean byDefault,
            boolean inProduction) throws Exception {
        // as Reactor Netty hands a literal to the resolver (IPv4-mapped stays 16 bytes), and as Java resolves it
        InetAddress fromUri = AddressUtils.createResolved(literal, 80).getAddress();
        InetAddress fromJava = InetAddress.getByName(literal);

        for (InetAddress address : List.of(fromUri, fromJava)) {
            assertThat(DEFAULT_POLICY.allows(address)).as("default list, %s", address).isEqualTo(byDefault);
            assertThat(PRODUCTION_POLICY.allows(address)).as("production list, %s", address).isEqualTo(inProduction);
        }
    }

    @ParameterizedTest(name = "{0}: default allows {1}, production allows {2}")
    @CsvSource({
        // every numeric form of 127.0.0.1 the C library reads, whatever Java makes of it
        "2130706433, true, false", "0177.0.0.1, true, false", "0x7f000001, true, false", "0X7F000001, true, false",
        "017700000001, true, false", "127.1, true, false", "0x7f.1, true, false", "0177.1, true, false",
        "0x7f.0.0.1, true, false", "127.0.1, true, false", "0x7f.0x0.0x0.0x1, true, false",
        "00000000177.0.0.1, true, false", "0x000007f.1, true, false",
        // 0.0.0.0
        "0, true, false", "0x0, true, false", "0.0, true, false",
        // 169.254.169.254 and 10.0.0.1
        "2852039166, false, false", "0251.0376.0251.0376, false, false", "0xa9fea9fe, false, false",
        "0xa9.0xfe.0xa9fe, false, false", "169.16689662, false, false", "012.1, true, false",
        // names, and what no one reads as a number: checked once resolved
        "example.com, true, true", "localhost, true, true", "10.0.0.1.nip.io, true, true", "1.2.3.4.5, true, true",
        "256.0.0.1, true, true", "4294967296, true, true", "08.0.0.1, true, true", "0x1g, true, true",
        "127.0.0.1., true, true", "'', true, true"})
    void shouldReadAHostWrittenAsANumberAsTheCLibraryDoes(String host, boolean byDefault, boolean inProduction) {
        assertThat(DEFAULT_POLICY.allowsHost(host)).as("default list").isEqualTo(byDefault);
        assertThat(PRODUCTION_POLICY.allowsHost(host)).as("production list").isEqualTo(inProduction);
    }

    @Test
    void shouldTestTheListsWorkerYmlAndTheReadmeGive() throws Exception {
        List<String> configured = new ArrayList<>();
        try (InputStream yml = getClass().getResourceAsStream("/worker.yml")) {
            new ObjectMapper(new YAMLFactory()).readTree(yml).at("/runstream/worker/http/blocked-networks")
                    .forEach(block -> configured.add(block.asText()));
        }
        String readme = Files.readAllLines(Path.of("../../README.md")).stream()
                .filter(line -> line.startsWith("| `runstream.worker.http.blocked-networks`")).findFirst().orElseThrow();

        assertThat(configured).isEqualTo(DEFAULT);
        assertThat(PRODUCTION).allSatisfy(block -> assertThat(readme).contains("`" + block + "`"));
    }

    @Test
    void shouldMatchABlockWhateverFormItIsWrittenIn() throws Exception {
        EgressPolicy mapped = new EgressPolicy(List.of("::ffff:10.0.0.0/104", "192.168.1.7", "::ffff:c0a8:0108"));

        for (String blocked : List.of("10.200.3.4", "::ffff:10.200.3.4", "64:ff9b::10.200.3.4", "192.168.1.7",
                "192.168.1.8", "::192.168.1.8")) {
            assertThat(mapped.allows(AddressUtils.createResolved(blocked, 80).getAddress())).as(blocked).isFalse();
        }
        assertThat(mapped.allows(InetAddress.getByName("192.168.1.9"))).isTrue();
        assertThat(mapped.allows(InetAddress.getByName("11.0.0.1"))).isTrue();
    }

    @Test
    void shouldLetEverythingThroughAnEmptyList() throws Exception {
        EgressPolicy open = new EgressPolicy(List.of());

        assertThat(open.allows(InetAddress.getByName("169.254.169.254"))).isTrue();
        assertThat(open.allowsHost("0177.0.0.1")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"10.0.0.0/40", "10.0.0.0/x", "10.0.0.0/-1", "::1/129", "10.0.0.0/8/8",
        "example.com/8", "localhost", "fe80::%eth0/10", "0177.0.0.0/8", "''"})
    void shouldRefuseAMalformedBlock(String block) {
        assertThatThrownBy(() -> new EgressPolicy(List.of(block))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(block);
    }
}
