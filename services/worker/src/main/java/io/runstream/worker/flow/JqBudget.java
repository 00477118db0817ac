package io.runstream.worker.flow;

import java.time.Duration;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Bounds one jq evaluation, so a user's expression cannot pin the worker's thread or fill its heap. jq loops either
 * recurse (and end in a stack overflow, which the evaluator turns into an error) or draw from {@code range}, the
 * one generator that can run without bound; {@code range} is wrapped to count what it produces against the
 * evaluation's budget and to check its deadline.
 */
final class JqBudget {

    /** Values all ranges of one evaluation may produce. */
    static final long MAX_ITEMS = 1_000_000;
    /** How long one evaluation may take. */
    static final Duration MAX_TIME = Duration.ofSeconds(2);

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private JqBudget() {
    }

    /** Replaces every {@code range} of the scope with a bounded one. */
    static void bound(Scope scope) {
        for (int arity = 1; arity <= 3; arity++) {
            Function range = scope.getFunction("range", arity);
            if (range != null) {
                scope.addFunction("range", arity, (s, args, in, path, output, version) -> range.apply(s, args, in,
                        path, (value, p) -> {
                            spend();
                            output.emit(value, p);
                        }, version));
            }
        }
    }

    /** Opens a budget for an evaluation on this thread; the returned handle closes it. */
    static AutoCloseable open() {
        CURRENT.set(new long[] {System.nanoTime() + MAX_TIME.toNanos(), MAX_ITEMS});
        return CURRENT::remove;
    }

    private static void spend() throws JsonQueryException {
        long[] budget = CURRENT.get();
        if (budget == null) {
            return;
        }
        if (--budget[1] < 0) {
            throw new JsonQueryException("the expression produced more than " + MAX_ITEMS + " values from range");
        }
        if ((budget[1] & 1023) == 0 && System.nanoTime() > budget[0]) {
            throw new JsonQueryException("the expression ran longer than " + MAX_TIME.toMillis() + " ms");
        }
    }
}
