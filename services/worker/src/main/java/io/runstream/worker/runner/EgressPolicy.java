package io.runstream.worker.runner;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;

/**
 * Which addresses a workflow's HTTP calls may not reach, as CIDR blocks (e.g. 169.254.0.0/16 for cloud metadata,
 * 127.0.0.0/8 or 10.0.0.0/8 in production). Checked on the resolved address in every form it reaches (an IPv4
 * block also matches its addresses inside IPv6, see {@link AddressForms}), so neither a name nor another way of
 * writing the address slips past it.
 */
final class EgressPolicy {

    private final List<Block> blocked;

    EgressPolicy(List<String> blockedNetworks) {
        this.blocked = blockedNetworks.stream().map(Block::parse).toList();
    }

    /** Whether a resolved address (4 or 16 bytes) may be called. */
    boolean allows(InetAddress address) {
        return allows(address.getAddress());
    }

    /**
     * Whether a host name may be resolved: one written as an IPv4 number must be allowed as the C library reads it
     * ({@link NumericHost}), whatever Java makes of it; any other name is checked once resolved.
     */
    boolean allowsHost(String host) {
        return NumericHost.ipv4(host).map(this::allows).orElse(true);
    }

    private boolean allows(byte[] address) {
        List<byte[]> forms = AddressForms.of(address);
        return blocked.stream().noneMatch(block -> forms.stream().anyMatch(block::contains));
    }

    /** One CIDR block, in 16 bytes (an IPv4 block as its IPv4-mapped range). */
    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            String[] parts = cidr.strip().split("/", -1);
            byte[] network = parts.length > 2 || parts[0].contains("%") ? null
                    : NetUtil.createByteArrayFromIpAddressString(parts[0]);
            if (network == null) {
                throw new IllegalArgumentException("Not a CIDR block (an IP address, then /prefix): " + cidr);
            }
            int prefix;
            try {
                prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Bad prefix in " + cidr, e);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("Bad prefix in " + cidr);
            }
            return network.length == 4 ? new Block(AddressForms.mapped(network), prefix + 96)
                    : new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            return AddressForms.samePrefix(address, network, prefix);
        }
    }
}
