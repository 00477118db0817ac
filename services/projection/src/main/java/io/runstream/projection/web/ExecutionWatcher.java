package io.runstream.projection.web;

import io.runstream.api.schedule.WhileWaitingTicker;
import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionChanges;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.ExecutionViews;
import io.runstream.projection.domain.WatchEnd;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Follows one execution in the view: its current state first, then each newer state, ending with the one its
 * {@link WatchEnd} names (by default the first terminal one).
 * Everyone watching the same execution shares one source, which reads the view when it starts and is then handed each
 * state this process applies to the execution ({@link ExecutionChanges}): fifty streams of one execution cost one
 * query, not fifty. In case another
 * projection instance applied a change, every watched execution is also read again at the poll interval, all of them
 * in one query (per {@value #POLL_CHUNK}): a read of its own for each, once a second, made 3,600 starts waiting for
 * their result (a stall of 18 s at 200 a second) 3,600 queries a second, which kept the stack from catching up. The
 * source stops when its last watcher leaves, and the polls when no execution is watched.
 */
@Component
class ExecutionWatcher {

    /** Executions read in one query of a poll. */
    static final int POLL_CHUNK = 500;

    private final ExecutionViews views;
    private final ExecutionChanges changes;
    private final Scheduler timer;
    private final Scheduler blocking;
    /** The shared source of each watched execution, by tenant and id (a tenant sees only its own). */
    private final Map<Watched, Source> sources = new ConcurrentHashMap<>();
    /** The polls, while something is watched. */
    private final WhileWaitingTicker polls;
    /** Whether a poll's read is under way: a slow one is not overlapped by the next. */
    private final AtomicBoolean polling = new AtomicBoolean();

    @Autowired
    ExecutionWatcher(ExecutionViews views, ExecutionChanges changes, ProjectionProperties properties) {
        this(views, changes, properties.watch().pollInterval(), Schedulers.parallel(), Schedulers.boundedElastic());
    }

    ExecutionWatcher(ExecutionViews views, ExecutionChanges changes, Duration pollInterval, Scheduler timer,
            Scheduler blocking) {
        this.views = views;
        this.changes = changes;
        this.timer = timer;
        this.blocking = blocking;
        this.polls = new WhileWaitingTicker(this::poll, sources::size, timer, pollInterval);
    }

    /**
     * The execution's states from now on, up to and including the one {@code end} stops at. The view is eventually
     * consistent, so an execution started a moment ago may not be in it yet: until it appears, nothing is emitted.
     */
    Flux<ExecutionView> watch(String tenant, UUID executionId, WatchEnd end) {
        Watched key = new Watched(tenant, executionId);
        return Flux.defer(() -> {
                    Source source = sources.computeIfAbsent(key, this::source);
                    // once it is in the map, where the ticks that stop for want of sources look again
                    polls.wake();
                    return source.states();
                })
                .onBackpressureLatest()
                .filter(Optional::isPresent)
                .map(Optional::get)
                .takeUntil(end::endsAt);
    }

    /** As {@link #watch}, but not found when the execution is not in the view within {@code within}. */
    Flux<ExecutionView> watch(String tenant, UUID executionId, WatchEnd end, Duration within) {
        return watch(tenant, executionId, end).timeout(Mono.delay(within, timer), state -> Mono.never(),
                Flux.error(() -> new ExecutionNotFoundException(executionId)));
    }

    /**
     * The state {@code end} stops at once it comes within {@code wait}, else the latest state seen (read again when
     * none was); {@link ExecutionNotFoundException} when the execution is not in the view by then.
     */
    Mono<ExecutionView> await(String tenant, UUID executionId, WatchEnd end, Duration wait) {
        return watch(tenant, executionId, end)
                .take(wait)
                .last()
                .onErrorResume(NoSuchElementException.class, neverSeen -> read(tenant, executionId));
    }

    Mono<ExecutionView> read(String tenant, UUID executionId) {
        return Mono.fromCallable(() -> views.find(tenant, executionId)
                        .orElseThrow(() -> new ExecutionNotFoundException(executionId)))
                .subscribeOn(blocking);
    }

    /** Whether the polls run: only while something is watched. */
    boolean polls() {
        return polls.ticking();
    }

    @PreDestroy
    void stopPolls() {
        polls.stop();
    }

    /** How many executions are being watched just now, each by one source. */
    int watched() {
        return sources.size();
    }

    /**
     * One execution's shared source: a read of the view when it starts, the states the changes applied here bring,
     * and what the polls find; each newer state once, the latest replayed to whoever joins; it ends and leaves the map
     * when its last watcher leaves or a read fails.
     */
    private Source source(Watched key) {
        AtomicReference<Source> self = new AtomicReference<>();
        Sinks.Many<Optional<ExecutionView>> polled = Sinks.many().multicast().directBestEffort();
        // the changes are listened to before the first read starts: a change applied meanwhile is in one or the other;
        // they arrive on the listener's thread, and what the watchers make of them (a response, an event) is done
        // off it
        Flux<Optional<ExecutionView>> changed = changes.of(key.executionId())
                .filter(view -> view.tenant().equals(key.tenant()))
                .map(Optional::of)
                .publishOn(timer);
        AtomicLong shown = new AtomicLong(-1);
        Flux<Optional<ExecutionView>> states = Flux.merge(changed, find(key).flux(), polled.asFlux())
                .filter(found -> newer(shown, found.map(ExecutionView::sequence).orElse(0L)))
                .doFinally(signal -> sources.remove(key, self.get()))
                .replay(1)
                .refCount();
        Source source = new Source(states, polled);
        self.set(source);
        return source;
    }

    /** Whether a state is newer than the last shown (nothing shown yet: -1; not in the view: 0), and if so shows it. */
    private static boolean newer(AtomicLong shown, long sequence) {
        if (sequence <= shown.get()) {
            return false;
        }
        shown.set(sequence);
        return true;
    }

    /** At each poll interval: every watched execution read again, off the timer's thread. */
    private void poll() {
        if (!sources.isEmpty() && polling.compareAndSet(false, true)) {
            blocking.schedule(() -> {
                try {
                    readWatched();
                } finally {
                    polling.set(false);
                }
            });
        }
    }

    private void readWatched() {
        List<Map.Entry<Watched, Source>> watched = new ArrayList<>(sources.entrySet());
        for (int from = 0; from < watched.size(); from += POLL_CHUNK) {
            List<Map.Entry<Watched, Source>> chunk = watched.subList(from, Math.min(watched.size(), from + POLL_CHUNK));
            Map<UUID, ExecutionView> found = new HashMap<>();
            try {
                views.findAll(chunk.stream().map(entry -> entry.getKey().executionId()).toList())
                        .forEach(view -> found.put(view.executionId(), view));
            } catch (RuntimeException e) {
                // as a source's own read that fails: its watchers are told, and a new watcher starts again
                chunk.forEach(entry -> entry.getValue().polled().tryEmitError(e));
                continue;
            }
            for (Map.Entry<Watched, Source> entry : chunk) {
                ExecutionView view = found.get(entry.getKey().executionId());
                if (view != null && view.tenant().equals(entry.getKey().tenant())) {
                    entry.getValue().polled().tryEmitNext(Optional.of(view));
                }
            }
        }
    }

    private Mono<Optional<ExecutionView>> find(Watched key) {
        return Mono.fromCallable(() -> views.find(key.tenant(), key.executionId())).subscribeOn(blocking);
    }

    /** An execution as one tenant watches it. */
    private record Watched(String tenant, UUID executionId) {
    }

    /** One watched execution's shared states, and where the polls put what they read of it. */
    private record Source(Flux<Optional<ExecutionView>> states, Sinks.Many<Optional<ExecutionView>> polled) {
    }
}
