package io.runstream.projection.web;

import io.runstream.api.auth.ApiKeyName;
import io.runstream.api.auth.Tenant;
import io.runstream.projection.config.ProjectionProperties;
import io.runstream.projection.domain.ExecutionNotFoundException;
import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionSearch;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import io.runstream.projection.domain.WatchEnd;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads executions from the view: one, a filtered list, a history, a live stream. Query parameters are read from
 * the raw query by {@link QueryParams}, so a bad or repeated one is a 400 that names it.
 */
@RestController
class ExecutionQueryController {

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final ExecutionSearch search;
    private final ExecutionWatcher watcher;
    private final EventStreams streams;
    private final JsonMapper json;
    private final Duration maxWait;

    ExecutionQueryController(ExecutionSearch search, ExecutionWatcher watcher, EventStreams streams, JsonMapper json,
            ProjectionProperties properties) {
        this.search = search;
        this.watcher = watcher;
        this.streams = streams;
        this.json = json;
        this.maxWait = properties.watch().maxWait();
    }

    /**
     * The execution; with {@code waitForTerminalSeconds}, answers as soon as it finishes or when the wait ends, and
     * waits too for an execution started a moment ago that is not in the view yet. With {@code minSequence} too, a
     * state older than that sequence (such as the failure a redrive just reopened) does not end the wait.
     */
    @GetMapping(path = "/v1/executions/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ExecutionResponse> get(Tenant tenant, @PathVariable String executionId, ServerHttpRequest request) {
        QueryParams params = new QueryParams(request.getQueryParams());
        UUID id = parse(executionId);
        long waitForTerminalSeconds = params.number("waitForTerminalSeconds", 0, maxWait.toSeconds(), 0);
        WatchEnd end = params.minSequence();
        if (waitForTerminalSeconds == 0) {
            return watcher.read(tenant.id(), id).map(view -> ExecutionResponse.of(view, json));
        }
        return watcher.await(tenant.id(), id, end, Duration.ofSeconds(waitForTerminalSeconds))
                .map(view -> ExecutionResponse.of(view, json));
    }

    /**
     * Server-Sent Events: the current state, then every change, ending after a terminal one; with
     * {@code followRedrives=true}, it goes on after FAILED or TIMED_OUT into a redrive's events and ends after
     * SUCCEEDED or CANCELLED. An execution started a moment ago and not yet in the view is waited for briefly before
     * the answer is 404. With {@code Last-Event-ID} (a reconnect), only states after that sequence are sent.
     */
    @GetMapping(path = "/v1/executions/{executionId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<ExecutionResponse>> events(Tenant tenant, ApiKeyName key, @PathVariable String executionId,
            ServerHttpRequest request) {
        QueryParams params = new QueryParams(request.getQueryParams());
        UUID id = parse(executionId);
        WatchEnd end = params.followRedrives();
        long after = QueryParams.number(LAST_EVENT_ID, request.getHeaders().getFirst(LAST_EVENT_ID), 0,
                Long.MAX_VALUE, 0);
        return streams.follow(tenant.id(), key.value(), id, end, after);
    }

    @GetMapping(path = "/v1/executions", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<PageResponse<ExecutionSummary>> list(Tenant tenant, ServerHttpRequest request) {
        QueryParams params = new QueryParams(request.getQueryParams());
        ExecutionQuery.Order by = params.orderBy();
        boolean ascending = params.ascending();
        ExecutionQuery query = new ExecutionQuery(tenant.id(), params.text("workflowId"), params.statuses(),
                params.phase(), params.time("startedFrom"), params.time("startedTo"), params.time("finishedFrom"),
                params.time("finishedTo"), params.text("sourceSystem"), params.text("externalRef"),
                params.text("sourceEntityId"), params.uuid("parentExecutionId"), by, ascending, params.limit(20),
                Cursors.list(params.single("cursor"), by, ascending));
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
            ServerHttpRequest request) {
        QueryParams params = new QueryParams(request.getQueryParams());
        UUID id = parse(executionId);
        HistoryEntry.Position after = Cursors.history(params.single("cursor"));
        int size = params.limit(50);
        return watcher.read(tenant.id(), id)
                .map(view -> search.history(id, after, size))
                .map(entries -> {
                    String next = entries.hasMore()
                            ? Cursors.history(entries.items().get(entries.items().size() - 1)) : null;
                    return new PageResponse<>(entries.items().stream().map(e -> HistoryEntryResponse.of(e, json))
                            .toList(), next, entries.hasMore());
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
