package io.runstream.worker.runner;

import java.util.Optional;

/**
 * Reads a host name written as an IPv4 number the way the C library's {@code inet_aton} does, because Java reads
 * some of those forms differently (0177.0.0.1 as 177.0.0.1) or not at all (0x7f000001), and a resolver, proxy or
 * later library on the path may read them as the C library does (both as 127.0.0.1).
 */
final class NumericHost {

    private NumericHost() {
    }

    /**
     * One to four parts, each decimal, octal (a leading 0) or hexadecimal (0x), the last filling the bytes left:
     * 2130706433, 127.1, 0177.0.0.1 and 0x7f.0.0.1 are all 127.0.0.1. Empty for anything else.
     */
    static Optional<byte[]> ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            long part = number(parts[i]);
            boolean last = i == parts.length - 1;
            long max = last ? (1L << (8 * (4 - i))) - 1 : 0xff;
            if (part < 0 || part > max) {
                return Optional.empty();
            }
            value |= last ? part : part << (24 - 8 * i);
        }
        return Optional.of(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                (byte) value});
    }

    /** The part's value, or -1 if it is not a number (or too long to be one). */
    private static long number(String part) {
        if (part.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x") || part.startsWith("0X")) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        digits = digits.replaceFirst("^0+", "");
        int base = radix;
        if (digits.length() > 12 || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, base) >= 0)) {
            return -1;
        }
        return digits.isEmpty() ? 0 : Long.parseLong(digits, radix);
    }
}
