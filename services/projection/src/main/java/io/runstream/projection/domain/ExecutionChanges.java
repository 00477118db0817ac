package io.runstream.projection.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells watchers in this process the new state of the executions the view just changed, so live status and long
 * polls answer at once instead of at their next poll. Whoever applied the changes reads the watched ones back in one
 * query ({@link #watchedAmong}) and hands their rows here, so a change costs its watchers no read of their own.
 * Best effort: a watcher that misses a change still polls.
 *
 * <p>Each watched execution has a signal of its own, found by its id, so a change costs the same however many
 * executions are watched (one signal for all, filtered by every watcher, cost a third of the dev stack's CPU with
 * 2,000 starts waiting for their result).
 */
public final class ExecutionChanges {

    private final Map<UUID, Watch> watched = new ConcurrentHashMap<>();

    /** Those of the executions just changed that someone here watches: the ones worth reading back. */
    public List<UUID> watchedAmong(Collection<UUID> executionIds) {
        return executionIds.stream().distinct().filter(watched::containsKey).toList();
    }

    /** The executions' states as the view holds them now, each to its own watchers. */
    public void changed(Collection<ExecutionView> views) {
        for (ExecutionView view : views) {
            Watch watch = watched.get(view.executionId());
            if (watch != null) {
                watch.sink.tryEmitNext(view);
            }
        }
    }

    /**
     * The states of one execution that changes bring, for as long as this is subscribed to; of whichever tenant's
     * execution has that id, so a watcher checks the tenant.
     */
    public Flux<ExecutionView> of(UUID executionId) {
        return Flux.defer(() -> {
            Watch watch = watched.compute(executionId, (id, known) -> (known == null ? new Watch() : known).join());
            return watch.sink.asFlux().doFinally(signal -> watched.computeIfPresent(executionId,
                    (id, known) -> known.leave()));
        });
    }

    /** How many executions have a watcher here. */
    public int watched() {
        return watched.size();
    }

    /** One execution's signal and how many subscribe to it; changed only inside the map's compute, per key. */
    private static final class Watch {

        private final Sinks.Many<ExecutionView> sink = Sinks.many().multicast().directBestEffort();
        private int subscribers;

        Watch join() {
            subscribers++;
            return this;
        }

        /** This, or null (out of the map) when the last subscriber left. */
        Watch leave() {
            return --subscribers == 0 ? null : this;
        }
    }
}
