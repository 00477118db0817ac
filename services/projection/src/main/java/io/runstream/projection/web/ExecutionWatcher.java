package io.runstream.projection.web;

import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Follows one execution in the view: its current state first, then each newer state, ending with the one its
 * {@link WatchEnd} names (by default the first terminal one).
 * Everyone watching the same execution shares one source, which re-reads the view when this process applies a change
 * to the execution, and at the poll interval in case another projection instance applied it: fifty streams of one
 * execution cost one query per interval, not fifty. The source stops when its last watcher leaves.
 */
@Component
class ExecutionWatcher {

    private final ExecutionViews views;
    private final ExecutionChanges changes;
    private final Duration pollInterval;
    private final Scheduler timer;
    private final Scheduler blocking;
    /** The shared source of each watched execution, by tenant and id (a tenant sees only its own). */
    private final Map<Watched, Flux<Optional<ExecutionView>>> sources = new ConcurrentHashMap<>();

    @Autowired
    ExecutionWatcher(ExecutionViews views, ExecutionChanges changes, ProjectionProperties properties) {
        this(views, changes, properties.watch().pollInterval(), Schedulers.parallel(), Schedulers.boundedElastic());
    }

    ExecutionWatcher(ExecutionViews views, ExecutionChanges changes, Duration pollInterval, Scheduler timer,
            Scheduler blocking) {
        this.views = views;
        this.changes = changes;
        this.pollInterval = pollInterval;
        this.timer = timer;
        this.blocking = blocking;
    }

    /**
     * The execution's states from now on, up to and including the one {@code end} stops at. The view is eventually
     * consistent, so an execution started a moment ago may not be in it yet: until it appears, nothing is emitted.
     */
    Flux<ExecutionView> watch(String tenant, UUID executionId, WatchEnd end) {
        Watched key = new Watched(tenant, executionId);
        return Flux.defer(() -> sources.computeIfAbsent(key, this::source))
                .onBackpressureLatest()
                .filter(Optional::isPresent)
                .map(Optional::get)
                .distinctUntilChanged(ExecutionView::sequence)
                .takeUntil(end::endsAt);
    }

    /** As {@link #watch}, but not found when the execution is not in the view within {@code within}. */
    Flux<ExecutionView> watch(String tenant, UUID executionId, WatchEnd end, Duration within) {
        return watch(tenant, executionId, end).timeout(Mono.delay(within, timer), state -> Mono.never(),
                Flux.error(() -> new ExecutionNotFoundException(executionId)));
    }

    Mono<ExecutionView> read(String tenant, UUID executionId) {
        return Mono.fromCallable(() -> views.find(tenant, executionId)
                        .orElseThrow(() -> new ExecutionNotFoundException(executionId)))
                .subscribeOn(blocking);
    }

    /** How many executions are being watched just now, each by one source. */
    int watched() {
        return sources.size();
    }

    /**
     * One execution's shared source: a read of the view at every poll and every change signal (a burst of signals
     * makes one read), each new state once, the latest replayed to whoever joins; it ends and leaves the map when its
     * last watcher leaves or a read fails.
     */
    private Flux<Optional<ExecutionView>> source(Watched key) {
        AtomicReference<Flux<Optional<ExecutionView>>> self = new AtomicReference<>();
        Flux<Object> triggers = Flux.merge(Flux.interval(Duration.ZERO, pollInterval, timer),
                changes.of(key.executionId()));
        Flux<Optional<ExecutionView>> source = triggers.onBackpressureLatest()
                .concatMap(trigger -> find(key), 1)
                .distinctUntilChanged(found -> found.map(ExecutionView::sequence).orElse(0L))
                .doFinally(signal -> sources.remove(key, self.get()))
                .replay(1)
                .refCount();
        self.set(source);
        return source;
    }

    private Mono<Optional<ExecutionView>> find(Watched key) {
        return Mono.fromCallable(() -> views.find(key.tenant(), key.executionId())).subscribeOn(blocking);
    }

    /** An execution as one tenant watches it. */
    private record Watched(String tenant, UUID executionId) {
    }
}
