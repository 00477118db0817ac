package io.runstream.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The randomness of a run, as an input: one seed per execution and redrive, from which each draw is made with what
 * it is for (a timer's sequence number), so replaying an input draws the same, and two executions retrying at once
 * still spread their retries.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of an execution's run: from its id and how many times it was redriven. */
    public static long of(String executionId, int redriveCount) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : executionId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash * 31 + redriveCount;
    }

    /** A number in {@code [from, to]} (just {@code from} when {@code to <= from}) for the draw numbered {@code n}. */
    static long draw(long seed, long n, long from, long to) {
        if (to <= from) {
            return from;
        }
        return new SplittableRandom(seed ^ (n * 0x9e3779b97f4a7c15L)).nextLong(from, to + 1);
    }
}
