package io.runstream.worker.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.schemas.ExecutionStatusChanged;
import io.runstream.schemas.ExecutionTaskEnded;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.testkit.HttpStub;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What a user would count after a fault of the workers or the infrastructure around them: one line each. */
final class CrashFigures {

    final int started;
    final int terminal;
    final int succeeded;
    final long duplicateTerminals;
    final long duplicateSequences;
    final long redispatched;
    final int repeatedCalls;
    final int maxKeysPerCall;
    final long completedStepsRerun;
    final Duration takeover;
    /** Executions whose emitted event reached the event log, and events that reached it more than once. */
    final long emitted;
    final long duplicateEvents;
    /** Executions whose status events and task steps, sorted by ordinal, are not in the order they happened. */
    final long outOfOrder;
    /** From the fault's end until every execution had ended. */
    final Duration recovered;
    /** The test's application id, the prefix of its topics. */
    final String app;
    /** Terminal statuses other than SUCCEEDED, by status and error code, and the first such error's message. */
    final Map<String, Long> unsuccessful;
    final String firstError;

    CrashFigures(List<String> ids, List<ExecutionStatusChanged> status, List<ExecutionTaskEnded> tasks,
            List<ActivityDispatched> dispatches, List<CloudEvent> events, HttpStub stub, Instant faultAt,
            Duration recovered, String app) {
        this.recovered = recovered;
        this.app = app;
        Set<String> mine = Set.copyOf(ids);
        started = ids.size();
        List<ExecutionStatusChanged> ended = status.stream().filter(e -> mine.contains(e.getExecutionId()))
                .filter(e -> WorkerCrashIT.TERMINAL.contains(e.getStatus().name())).toList();
        Map<String, Long> terminals = ended.stream()
                .collect(Collectors.groupingBy(ExecutionStatusChanged::getExecutionId, Collectors.counting()));
        terminal = terminals.size();
        duplicateTerminals = terminals.values().stream().mapToLong(n -> n - 1).sum();
        succeeded = (int) status.stream().filter(e -> e.getStatus().name().equals("SUCCEEDED")).count();
        List<ExecutionStatusChanged> failures = ended.stream()
                .filter(e -> !e.getStatus().name().equals("SUCCEEDED")).toList();
        unsuccessful = failures.stream().collect(Collectors.groupingBy(
                e -> e.getStatus() + (e.getError() == null ? "" : " " + e.getError().getCode()),
                java.util.TreeMap::new, Collectors.counting()));
        firstError = failures.stream().filter(e -> e.getError() != null).findFirst()
                .map(e -> e.getExecutionId() + ": " + e.getError().getMessage()).orElse("");
        duplicateSequences = status.stream().collect(Collectors.groupingBy(
                e -> e.getExecutionId() + "#" + e.getSequence(), Collectors.counting())).values().stream()
                .mapToLong(n -> n - 1).sum();
        redispatched = dispatches.stream().filter(d -> d.getDispatch() > 1).count();
        int repeats = 0;
        int maxKeys = 0;
        for (String id : ids) {
            for (String task : List.of("charge", "notify")) {
                List<String> keys = stub.idempotencyKeys("/ok/" + task + "-" + id);
                repeats += Math.max(0, keys.size() - 1);
                maxKeys = Math.max(maxKeys, Set.copyOf(keys).size());
            }
        }
        repeatedCalls = repeats;
        maxKeysPerCall = maxKeys;
        completedStepsRerun = tasks.stream().filter(t -> t.getStatus().name().equals("COMPLETED"))
                .collect(Collectors.groupingBy(t -> t.getExecutionId() + t.getPosition(), Collectors.counting()))
                .values().stream().mapToLong(n -> n - 1).sum();
        Map<String, Long> emittedBy = events.stream().filter(e -> mine.contains(e.getSubject()))
                .collect(Collectors.groupingBy(CloudEvent::getSubject, Collectors.counting()));
        emitted = emittedBy.size();
        duplicateEvents = emittedBy.values().stream().mapToLong(n -> n - 1).sum();
        takeover = tasks.stream().filter(t -> t.getName().equals("pause"))
                .filter(t -> t.getStartedAt().plus(WorkerCrashIT.WAIT).isAfter(faultAt))
                .map(t -> Duration.between(t.getStartedAt().plus(WorkerCrashIT.WAIT), t.getEndedAt()))
                .max(Duration::compareTo).orElse(Duration.ZERO);
        outOfOrder = ids.stream().filter(id -> !inOrder(status.stream().filter(e -> e.getExecutionId().equals(id))
                .toList(), tasks.stream().filter(t -> t.getExecutionId().equals(id)).toList())).count();
    }

    /**
     * True when the ordinals are positive and distinct and, sorted by them, status events follow their sequence,
     * task steps their step numbers, and the terminal status comes last.
     */
    private static boolean inOrder(List<ExecutionStatusChanged> status, List<ExecutionTaskEnded> tasks) {
        java.util.TreeMap<Long, Object> byOrdinal = new java.util.TreeMap<>();
        status.forEach(e -> byOrdinal.put(e.getOrdinal(), e));
        tasks.forEach(t -> byOrdinal.put(t.getOrdinal(), t));
        if (byOrdinal.size() != status.size() + tasks.size() || byOrdinal.isEmpty() || byOrdinal.firstKey() <= 0
                || !(byOrdinal.lastEntry().getValue() instanceof ExecutionStatusChanged last
                        && WorkerCrashIT.TERMINAL.contains(last.getStatus().name()))) {
            return false;
        }
        long sequence = 0;
        long step = 0;
        for (Object event : byOrdinal.values()) {
            if (event instanceof ExecutionStatusChanged e) {
                if (e.getSequence() <= sequence) {
                    return false;
                }
                sequence = e.getSequence();
            } else if (((ExecutionTaskEnded) event).getStep() <= step) {
                return false;
            } else {
                step = ((ExecutionTaskEnded) event).getStep();
            }
        }
        return true;
    }

    void print(String name) {
        System.out.printf("%s: %d started, %d terminal (%d succeeded), %d duplicate terminals, %d activities "
                + "re-dispatched, %d repeated calls, %d completed steps re-run, %d events emitted (%d duplicate), "
                + "takeover %.1f s%s%n", name, started, terminal, succeeded, duplicateTerminals, redispatched,
                repeatedCalls, completedStepsRerun, emitted, duplicateEvents, takeover.toMillis() / 1000.0,
                failures());
    }

    /** Empty when every terminal status was SUCCEEDED, else the others by code and the first one's message. */
    private String failures() {
        return unsuccessful.isEmpty() ? "" : ", not succeeded " + unsuccessful + " (first: " + firstError + ")";
    }

    /** The figure line of a fault of the infrastructure around the workers. */
    void printOutage(String name, String what) {
        System.out.printf("%s: %d started, %d terminal (%d succeeded), %d lost, %d duplicate terminals, "
                + "%d completed steps re-run, %d repeated calls, %d events emitted (%d duplicate), %s, "
                + "recovered in %.1f s%s%n", name, started, terminal, succeeded, started - terminal,
                duplicateTerminals, completedStepsRerun, repeatedCalls, emitted, duplicateEvents, what,
                recovered.toMillis() / 1000.0, failures());
    }

    void assertNothingLostOrRepeated() {
        assertNothingLostOrRepeated(Duration.ofSeconds(30));
    }

    /** As a user would check it; waits may end up to {@code maxTakeover} after they were due. */
    void assertNothingLostOrRepeated(Duration maxTakeover) {
        assertThat(terminal).as("every execution ended").isEqualTo(started);
        assertThat(succeeded).as("and succeeded").isEqualTo(started);
        assertThat(duplicateTerminals).as("exactly one terminal status each").isZero();
        assertThat(maxKeysPerCall).as("one Idempotency-Key per (execution, task)").isEqualTo(1);
        assertThat((long) repeatedCalls).as("calls repeated at most once per re-dispatch")
                .isLessThanOrEqualTo(redispatched);
        assertThat(completedStepsRerun).as("no completed step ran again").isZero();
        assertThat(emitted).as("every execution's event on the log (read_committed)").isEqualTo(started);
        assertThat(duplicateEvents).as("and each once").isZero();
        assertThat(outOfOrder).as("every execution's events in the order they happened, by ordinal").isZero();
        assertThat(takeover).as("waits end at their due time plus the takeover")
                .isLessThan(maxTakeover);
    }
}
