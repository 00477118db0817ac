package io.runstream.projection.web;

import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Follows one execution in the view: its current state first, then each newer state, ending with the one its
 * {@link WatchEnd} names (by default the first terminal one).
 * It re-reads the view when this process applies a change to the execution, and at the poll interval in case the
 * change was applied by another projection instance.
 */
@Component
class ExecutionWatcher {

    private final ExecutionViews views;
    private final ExecutionChanges changes;
    private final Duration pollInterval;

    ExecutionWatcher(ExecutionViews views, ExecutionChanges changes, ProjectionProperties properties) {
        this.views = views;
        this.changes = changes;
        this.pollInterval = properties.watch().pollInterval();
    }

    /**
     * The execution's states from now on, up to and including the one {@code end} stops at. The view is eventually
     * consistent, so an execution started a moment ago may not be in it yet: until it appears, nothing is emitted.
     */
    Flux<ExecutionView> watch(String tenant, UUID executionId, WatchEnd end) {
        Flux<Object> triggers = Flux.merge(Flux.interval(Duration.ZERO, pollInterval),
                changes.stream().filter(executionId::equals));
        return triggers.onBackpressureLatest()
                .concatMap(trigger -> find(tenant, executionId), 1)
                .distinctUntilChanged(ExecutionView::sequence)
                .takeUntil(end::endsAt);
    }

    /** Waits up to {@code within} for the execution to be in the view; not found if it never appears. */
    Mono<ExecutionView> appearance(String tenant, UUID executionId, Duration within) {
        return watch(tenant, executionId, WatchEnd.TERMINAL).next()
                .timeout(within, Mono.error(() -> new ExecutionNotFoundException(executionId)));
    }

    private Mono<ExecutionView> find(String tenant, UUID executionId) {
        return Mono.fromCallable(() -> views.find(tenant, executionId).orElse(null))
                .subscribeOn(Schedulers.boundedElastic());
    }

    Mono<ExecutionView> read(String tenant, UUID executionId) {
        return Mono.fromCallable(() -> views.find(tenant, executionId)
                        .orElseThrow(() -> new ExecutionNotFoundException(executionId)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
