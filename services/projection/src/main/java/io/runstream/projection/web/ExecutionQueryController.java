package io.runstream.projection.web;

import io.runstream.api.auth.Tenant;
import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionSearch;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import io.runstream.projection.domain.Page;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/** Reads executions from the view: one, a filtered list, a history, a live stream. */
@RestController
class ExecutionQueryController {

    private final ExecutionSearch search;
    private final ExecutionWatcher watcher;
    private final JsonMapper json;
    private final Duration maxWait;
    /** How long a live stream waits for an execution that is not in the view yet (it was just started). */
    private final Duration appearWithin;

    ExecutionQueryController(ExecutionSearch search, ExecutionWatcher watcher, JsonMapper json,
            ProjectionProperties properties) {
        this.search = search;
        this.watcher = watcher;
        this.json = json;
        this.maxWait = properties.watch().maxWait();
        this.appearWithin = properties.watch().pollInterval().multipliedBy(3);
    }

    /**
     * The execution; with {@code waitForTerminalSeconds}, answers as soon as it finishes or when the wait ends, and
     * waits too for an execution started a moment ago that is not in the view yet. With {@code minSequence} too, a
     * state older than that sequence (such as the failure a redrive just reopened) does not end the wait.
     */
    @GetMapping(path = "/v1/executions/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ExecutionResponse> get(Tenant tenant, @PathVariable String executionId,
            @RequestParam(required = false) Integer waitForTerminalSeconds,
            @RequestParam(required = false) Long minSequence) {
        UUID id = parse(executionId);
        WatchEnd end = QueryParams.minSequence(minSequence);
        if (waitForTerminalSeconds == null || waitForTerminalSeconds == 0) {
            return watcher.read(tenant.id(), id).map(view -> ExecutionResponse.of(view, json));
        }
        if (waitForTerminalSeconds < 0 || waitForTerminalSeconds > maxWait.toSeconds()) {
            throw new ServerWebInputException("waitForTerminalSeconds must be between 0 and " + maxWait.toSeconds());
        }
        return watcher.watch(tenant.id(), id, end)
                .take(Duration.ofSeconds(waitForTerminalSeconds))
                .last()
                .onErrorResume(java.util.NoSuchElementException.class, neverSeen -> watcher.read(tenant.id(), id))
                .map(view -> ExecutionResponse.of(view, json));
    }

    /**
     * Server-Sent Events: the current state, then every change, ending after a terminal one; with
     * {@code followRedrives=true}, it goes on after FAILED or TIMED_OUT into a redrive's events and ends after
     * SUCCEEDED or CANCELLED. An execution started a moment ago and not yet in the view is waited for briefly before
     * the answer is 404.
     */
    @GetMapping(path = "/v1/executions/{executionId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<ExecutionResponse>> events(Tenant tenant, @PathVariable String executionId,
            @RequestParam(required = false) String followRedrives) {
        UUID id = parse(executionId);
        WatchEnd end = QueryParams.followRedrives(followRedrives);
        return watcher.appearance(tenant.id(), id, appearWithin)
                .thenMany(watcher.watch(tenant.id(), id, end))
                .map(view -> ServerSentEvent.builder(ExecutionResponse.of(view, json))
                        .id(Long.toString(view.sequence()))
                        .event("status")
                        .build());
    }

    @GetMapping(path = "/v1/executions", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<PageResponse<ExecutionSummary>> list(Tenant tenant,
            @RequestParam(required = false) String workflowId,
            @RequestParam(required = false) List<String> status, @RequestParam(required = false) String phase,
            @RequestParam(required = false) String startedFrom, @RequestParam(required = false) String startedTo,
            @RequestParam(required = false) String finishedFrom, @RequestParam(required = false) String finishedTo,
            @RequestParam(required = false) String sourceSystem, @RequestParam(required = false) String externalRef,
            @RequestParam(required = false) String sourceEntityId,
            @RequestParam(defaultValue = "startedAt") String orderBy, @RequestParam(defaultValue = "desc") String order,
            @RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) String cursor) {
        ExecutionQuery.Order by = QueryParams.orderBy(orderBy);
        boolean ascending = QueryParams.ascending(order);
        ExecutionQuery query = new ExecutionQuery(tenant.id(), workflowId, QueryParams.statuses(status),
                QueryParams.phase(phase), QueryParams.time("startedFrom", startedFrom),
                QueryParams.time("startedTo", startedTo), QueryParams.time("finishedFrom", finishedFrom),
                QueryParams.time("finishedTo", finishedTo), sourceSystem, externalRef, sourceEntityId, by, ascending,
                QueryParams.limit(limit), Cursors.list(cursor, by, ascending));
        return Mono.fromCallable(() -> search.list(query))
                .subscribeOn(Schedulers.boundedElastic())
                .map(page -> {
                    List<ExecutionView> items = page.items();
                    ExecutionView last = items.isEmpty() ? null : items.get(items.size() - 1);
                    String next = page.hasMore() ? Cursors.list(by, ascending,
                            by == ExecutionQuery.Order.FINISHED_AT ? last.finishedAt() : last.startedAt(),
                            last.executionId()) : null;
                    return new PageResponse<>(items.stream().map(ExecutionSummary::of).toList(), next,
                            page.hasMore());
                });
    }

    /** One entry per status change and per task step, oldest first. */
    @GetMapping(path = "/v1/executions/{executionId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<PageResponse<HistoryEntryResponse>> history(Tenant tenant, @PathVariable String executionId,
            @RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) String cursor) {
        UUID id = parse(executionId);
        HistoryEntry.Position after = Cursors.history(cursor);
        int size = QueryParams.limit(limit);
        return watcher.read(tenant.id(), id)
                .map(view -> search.history(id, after, size))
                .map(page -> {
                    Page<HistoryEntry> entries = page;
                    String next = entries.hasMore()
                            ? Cursors.history(entries.items().get(entries.items().size() - 1)) : null;
                    return new PageResponse<>(entries.items().stream().map(e -> HistoryEntryResponse.of(e, json)).toList(), next,
                            entries.hasMore());
                });
    }

    /** An id that is not a UUID cannot name an execution, so it is simply not found. */
    static UUID parse(String executionId) {
        try {
            return UUID.fromString(executionId);
        } catch (IllegalArgumentException e) {
            throw new ExecutionNotFoundException(executionId);
        }
    }
}
