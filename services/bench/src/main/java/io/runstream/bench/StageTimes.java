package io.runstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of starts that wait went, execution by execution, from the answers and the status stream read next
 * to them ({@link StatusWatcher}): from the start's due time to its acceptance by the ingress (the edge, the lookup of
 * the workflow, the checks), to its record sent to the log (the ingress's idempotency record in PostgreSQL), to the
 * worker's RUNNING (the record on the log, the worker reading it), to its terminal status (the worker's steps), to
 * that status read on the log (the worker's exactly-once commit, then a fetch), to the answer (the projection, the
 * long poll and the way back). The ingress's and the worker's times are the events' {@code requestedAt} and
 * {@code occurredAt}; every clock is this machine's.
 */
final class StageTimes implements HttpLoad.ResponseHook {

    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");

    /** One answered start: when it was due and answered, epoch millis. */
    private record Answer(double dueMillis, double answeredMillis) {
    }

    /** One start's stages, in ms. */
    private record Stages(double toAccepted, double toSent, double toRunning, double toEnded, double toLog,
            double toAnswer) {
    }

    /**
     * When one execution passed the points read from the log (epoch millis): accepted by the ingress, its start sent,
     * RUNNING, its terminal status, that status read; null where not seen.
     */
    record Points(Long accepted, Long sent, Long running, Long ended, Long seen) {

        boolean complete() {
            return accepted != null && sent != null && running != null && ended != null && seen != null;
        }
    }

    private final HttpLoad.ResponseHook next;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    StageTimes(HttpLoad.ResponseHook next) {
        this.next = next;
    }

    @Override
    public void onResponse(int n, long sentNanos, String body) {
        double answered = System.currentTimeMillis();
        double due = answered - (System.nanoTime() - sentNanos) / 1e6;
        next.onResponse(n, sentNanos, body);
        Matcher m = EXECUTION_ID.matcher(body);
        if (m.find()) {
            answers.put(m.group(1), new Answer(due, answered));
        }
    }

    /** p50 and p99 of each stage, for the answered starts the watcher saw end; clears what it has read. */
    String line(Function<String, Points> log) {
        List<Stages> all = new ArrayList<>();
        answers.forEach((id, a) -> {
            Points p = log.apply(id);
            if (p != null && p.complete()) {
                all.add(new Stages(p.accepted() - a.dueMillis(), p.sent() - p.accepted(), p.running() - p.sent(),
                        p.ended() - p.running(), p.seen() - p.ended(), a.answeredMillis() - p.seen()));
            }
        });
        answers.clear();
        if (all.isEmpty()) {
            return "stages: none of the answered starts seen on the status stream";
        }
        return String.format(Locale.ROOT, "stages p50/p99 ms (%d starts): due->accepted %s, accepted->sent %s, "
                + "sent->RUNNING %s, RUNNING->ended %s, ended->on the log %s, on the log->answered %s", all.size(),
                pair(all, Stages::toAccepted), pair(all, Stages::toSent), pair(all, Stages::toRunning),
                pair(all, Stages::toEnded), pair(all, Stages::toLog), pair(all, Stages::toAnswer));
    }

    /** p50/p99 of one stage, in ms to a tenth. */
    private static String pair(List<Stages> all, ToDoubleFunction<Stages> stage) {
        long[] sorted = all.stream().mapToLong(s -> Math.round(stage.applyAsDouble(s) * 10)).sorted().toArray();
        return String.format(Locale.ROOT, "%.1f/%.1f", at(sorted, 50) / 10.0, at(sorted, 99) / 10.0);
    }

    private static long at(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }
}
