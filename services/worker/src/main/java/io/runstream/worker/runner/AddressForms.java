package io.runstream.worker.runner;

import java.util.ArrayList;
import java.util.List;

/**
 * Every form one address reaches, in 16 bytes with IPv4 as {@code ::ffff:a.b.c.d}: the address itself and each IPv4
 * address embedded in it, so a block of IPv4 addresses also matches them written as IPv4-mapped, IPv4-compatible,
 * IPv4-translated, NAT64, 6to4 or Teredo IPv6.
 */
final class AddressForms {

    /** IPv6 ranges that carry an IPv4 address, and where. */
    private static final List<Embedding> EMBEDDINGS = List.of(
            // IPv4-compatible (::/96, deprecated but still routed by some stacks); also :: and ::1
            new Embedding(prefix(0, 0), 96, false, 12, 13, 14, 15),
            // IPv4-translated (::ffff:0:0:0/96, SIIT)
            new Embedding(prefix(8, 0xff, 9, 0xff), 96, false, 12, 13, 14, 15),
            // NAT64 well-known prefix (64:ff9b::/96)
            new Embedding(prefix(0, 0x00, 1, 0x64, 2, 0xff, 3, 0x9b), 96, false, 12, 13, 14, 15),
            // NAT64 local-use (64:ff9b:1::/48), with the IPv4 address in the last 32 bits (a /96 in it)
            new Embedding(prefix(1, 0x64, 2, 0xff, 3, 0x9b, 5, 0x01), 48, false, 12, 13, 14, 15),
            // 6to4 (2002::/16): the IPv4 relay of the site, where the packet is sent
            new Embedding(prefix(0, 0x20, 1, 0x02), 16, false, 2, 3, 4, 5),
            // Teredo (2001::/32): the server, and the client inverted
            new Embedding(prefix(0, 0x20, 1, 0x01), 32, false, 4, 5, 6, 7),
            new Embedding(prefix(0, 0x20, 1, 0x01), 32, true, 12, 13, 14, 15));

    private AddressForms() {
    }

    /** The address (4 or 16 bytes) in 16 bytes, then each IPv4 address it carries, as IPv4-mapped. */
    static List<byte[]> of(byte[] address) {
        if (address.length == 4) {
            return List.of(mapped(address));
        }
        List<byte[]> forms = new ArrayList<>();
        forms.add(address.clone());
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.within(address)) {
                forms.add(embedding.ipv4(address));
            }
        }
        return forms;
    }

    /** An IPv4 address as IPv4-mapped IPv6, the form every IPv4 address and block is compared in. */
    static byte[] mapped(byte[] ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }

    /** Whether the first {@code bits} bits of two 16-byte addresses agree. */
    static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (a[full] & mask) == (b[full] & mask);
    }

    /** 16 bytes, zero but for the given (index, value) pairs. */
    private static byte[] prefix(int... indexValuePairs) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < indexValuePairs.length; i += 2) {
            bytes[indexValuePairs[i]] = (byte) indexValuePairs[i + 1];
        }
        return bytes;
    }

    /** A range that carries an IPv4 address in the four bytes {@code at}, bit-inverted when {@code inverted}. */
    private record Embedding(byte[] prefix, int bits, boolean inverted, int... at) {

        boolean within(byte[] address) {
            return samePrefix(address, prefix, bits);
        }

        byte[] ipv4(byte[] address) {
            byte[] ipv4 = new byte[4];
            for (int i = 0; i < 4; i++) {
                ipv4[i] = (byte) (inverted ? ~address[at[i]] : address[at[i]]);
            }
            return mapped(ipv4);
        }
    }
}
