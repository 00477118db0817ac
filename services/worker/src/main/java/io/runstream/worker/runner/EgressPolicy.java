package io.runstream.worker.runner;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses a workflow's HTTP calls may not reach, as CIDR blocks (e.g. 169.254.0.0/16 for cloud metadata,
 * 127.0.0.0/8 or 10.0.0.0/8 in production). Checked on the resolved address, so a name cannot be used to slip
 * past it.
 */
final class EgressPolicy {

    private final List<Block> blocked;

    EgressPolicy(List<String> blockedNetworks) {
        this.blocked = blockedNetworks.stream().map(Block::parse).toList();
    }

    boolean allows(InetAddress address) {
        return blocked.stream().noneMatch(block -> block.contains(address));
    }

    /** One CIDR block. */
    private record Block(byte[] network, int prefix, String text) {

        static Block parse(String cidr) {
            String[] parts = cidr.strip().split("/");
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("Bad prefix in " + cidr);
                }
                return new Block(network, prefix, cidr);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Not a CIDR block: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
