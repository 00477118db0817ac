package io.runstream.engine;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Bounds one jq evaluation, so a user's expression cannot pin the worker's thread or fill its heap.
 * <ul>
 *   <li>jq loops either recurse (and end in a stack overflow, which the evaluator turns into an error) or go
 *       through functions: every builtin is wrapped to check the evaluation's deadline when it is called and for
 *       each value it produces;</li>
 *   <li>{@code range}, the one generator that can run without bound, also counts what it produces against a
 *       budget of values;</li>
 *   <li>what calls no function at all (nested iteration with operators only, such as
 *       {@code $a[] as $x | $a[] | . + $x}) cannot be stopped from inside; {@link ExpressionWatchdog} sees it by
 *       its {@link #running() running time}.</li>
 * </ul>
 */
final class JqBudget {

    /** Values all ranges of one evaluation may produce. */
    static final long MAX_ITEMS = 1_000_000;
    /** How long one evaluation may take. */
    static final Duration MAX_TIME = Duration.ofSeconds(2);

    private static final ThreadLocal<Evaluation> CURRENT = ThreadLocal.withInitial(JqBudget::register);
    private static final List<Evaluation> EVALUATIONS = new CopyOnWriteArrayList<>();

    private JqBudget() {
    }

    /** Wraps every function of the scope in a deadline check, and every {@code range} in a bounded one. */
    static void bound(Scope scope) {
        for (Map.Entry<String, Function> entry : Map.copyOf(scope.getLocalFunctions()).entrySet()) {
            Function function = entry.getValue();
            boolean range = entry.getKey().startsWith("range/");
            scope.addFunction(entry.getKey(), (s, args, in, path, output, version) -> {
                check(false);
                function.apply(s, args, in, path, (value, p) -> {
                    check(range);
                    output.emit(value, p);
                }, version);
            });
        }
    }

    /** Opens a budget for an evaluation of {@code jq} on this thread; the returned handle closes it. */
    static AutoCloseable open(String jq) {
        Evaluation evaluation = CURRENT.get();
        evaluation.open(jq);
        return evaluation::close;
    }

    /**
     * The work done by evaluations on this thread so far: one unit for every builtin called and every value one
     * produced. It counts the same for the same evaluations wherever they run, so a turn can be cut by it and stay
     * deterministic.
     */
    static long work() {
        return CURRENT.get().work;
    }

    /** Evaluations now running on some thread, with how long each has run. */
    static List<Running> running() {
        long now = System.nanoTime();
        EVALUATIONS.removeIf(e -> e.thread.get() == null);
        return EVALUATIONS.stream().map(e -> e.running(now)).filter(r -> r != null).toList();
    }

    /** An evaluation that has run for {@code elapsed} on {@code thread}. */
    record Running(String thread, String expression, Duration elapsed) {
    }

    private static void check(boolean countItem) throws JsonQueryException {
        Evaluation evaluation = CURRENT.get();
        if (evaluation.expression == null) {
            return;
        }
        evaluation.work++;
        if (countItem && --evaluation.items < 0) {
            throw new JsonQueryException("the expression produced more than " + MAX_ITEMS + " values from range");
        }
        if (System.nanoTime() - evaluation.started > MAX_TIME.toNanos()) {
            throw new JsonQueryException("the expression ran longer than " + MAX_TIME.toMillis() + " ms");
        }
    }

    private static Evaluation register() {
        Evaluation evaluation = new Evaluation(Thread.currentThread());
        EVALUATIONS.add(evaluation);
        return evaluation;
    }

    /** One thread's evaluation slot; the watchdog reads it from another thread. */
    private static final class Evaluation {
        private final WeakReference<Thread> thread;
        private final String threadName;
        private volatile String expression;
        private volatile long started;
        private long items;
        private long work;

        Evaluation(Thread thread) {
            this.thread = new WeakReference<>(thread);
            this.threadName = thread.getName();
        }

        void open(String jq) {
            items = MAX_ITEMS;
            started = System.nanoTime();
            expression = jq;
        }

        void close() {
            expression = null;
        }

        Running running(long now) {
            String jq = expression;
            return jq == null ? null : new Running(threadName, jq, Duration.ofNanos(now - started));
        }
    }
}
