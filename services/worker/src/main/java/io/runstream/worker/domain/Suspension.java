package io.runstream.worker.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A paused execution: since when, and what it was sent meanwhile, held back until it resumes. Nothing advances while
 * paused: timers that come due, activity results and subflow ends that arrive are kept here in order, and a resume
 * hands them back to the run as if they had arrived just then.
 *
 * @param timers timers that came due while paused
 * @param results activity results that arrived while paused
 * @param continuation a continuation that arrived while paused (the run's transitions then), or null
 * @param events events for its listens, or sent to it alone, that arrived while paused
 * @param children ends of subflows it waits on that arrived while paused
 */
public record Suspension(Instant since, List<Long> timers, List<ActivityResult> results, Long continuation,
        List<EventDelivery> events, List<ChildEnd> children) {

    public Suspension {
        timers = List.copyOf(timers);
        results = List.copyOf(results);
        events = List.copyOf(events);
        children = List.copyOf(children);
    }

    static Suspension since(Instant at) {
        return new Suspension(at, List.of(), List.of(), null, List.of(), List.of());
    }

    Suspension withEvent(EventDelivery event) {
        List<EventDelivery> more = new ArrayList<>(events);
        more.add(event);
        return new Suspension(since, timers, results, continuation, more, children);
    }

    Suspension withTimer(long timer) {
        List<Long> more = new ArrayList<>(timers);
        more.add(timer);
        return new Suspension(since, more, results, continuation, events, children);
    }

    Suspension withResult(ActivityResult result) {
        List<ActivityResult> more = new ArrayList<>(results);
        more.add(result);
        return new Suspension(since, timers, more, continuation, events, children);
    }

    Suspension withContinuation(long transitions) {
        return new Suspension(since, timers, results, transitions, events, children);
    }

    Suspension withChild(ChildEnd end) {
        List<ChildEnd> more = new ArrayList<>(children);
        more.add(end);
        return new Suspension(since, timers, results, continuation, events, more);
    }
}
