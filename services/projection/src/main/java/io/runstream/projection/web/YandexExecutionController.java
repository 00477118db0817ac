package io.runstream.projection.web;

import io.runstream.api.auth.Tenant;
import io.runstream.projection.domain.ExecutionQuery;
import io.runstream.projection.domain.ExecutionSearch;
import io.runstream.projection.domain.ExecutionView;
import io.runstream.projection.domain.HistoryEntry;
import io.runstream.projection.domain.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Yandex Cloud Workflows {@code Execution.Get}, {@code GetHistory} and {@code List} over the same view
 * ({@code Stop} and {@code Terminate} are commands, taken by the ingress); {@link YandexFormat} holds the field and status mapping.
 */
@RestController
class YandexExecutionController {

    private static final int MAX_PAGE = 100;
    private static final int MAX_HISTORY = 1000;
    /** The longest {@code filter}: room for every condition the filter language has, several times over. */
    private static final int MAX_FILTER = 1024;

    private final ExecutionWatcher watcher;
    private final ExecutionSearch search;

    YandexExecutionController(ExecutionWatcher watcher, ExecutionSearch search) {
        this.watcher = watcher;
        this.search = search;
    }

    @GetMapping(path = "/workflows/v1/execution/{executionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> get(Tenant tenant, @PathVariable String executionId) {
        return watcher.read(tenant.id(), ExecutionQueryController.parse(executionId))
                .map(view -> Map.of("execution", YandexFormat.execution(view)));
    }

    @GetMapping(path = "/workflows/v1/execution/{executionId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> getHistory(Tenant tenant, @PathVariable String executionId) {
        UUID id = ExecutionQueryController.parse(executionId);
        return watcher.read(tenant.id(), id).map(view -> {
            List<Map<String, Object>> entries = new ArrayList<>();
            HistoryEntry.Position after = null;
            Page<HistoryEntry> page;
            do {
                page = search.history(id, after, MAX_PAGE);
                for (HistoryEntry entry : page.items()) {
                    if (entry.kind() == HistoryEntry.Kind.TASK && entries.size() < MAX_HISTORY) {
                        entries.add(YandexFormat.step(entry));
                    }
                }
                if (!page.items().isEmpty()) {
                    HistoryEntry last = page.items().get(page.items().size() - 1);
                    after = last.place();
                }
            } while (page.hasMore() && entries.size() < MAX_HISTORY);
            return Map.of("execution", YandexFormat.preview(view), "entries", entries);
        });
    }

    /** Execution.List; a {@code pageSize} over 100 (or 0) is 100, as the README says. */
    @GetMapping(path = "/workflows/v1/execution", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> list(Tenant tenant, ServerHttpRequest request) {
        QueryParams params = new QueryParams(request.getQueryParams());
        String workflowId = params.text("workflowId");
        if (workflowId == null || workflowId.isBlank()) {
            throw new ServerWebInputException("workflowId is required");
        }
        long pageSize = params.number("pageSize", 0, Long.MAX_VALUE, 0);
        int size = pageSize == 0 ? MAX_PAGE : (int) Math.min(pageSize, MAX_PAGE);
        YandexFilter parsed = YandexFilter.parse(QueryParams.text("filter", params.single("filter"), MAX_FILTER));
        String pageToken = params.single("pageToken");
        ExecutionQuery query = new ExecutionQuery(tenant.id(), workflowId, parsed.statuses(), parsed.phase(),
                parsed.startedFrom(),
                parsed.startedTo(), parsed.finishedFrom(), parsed.finishedTo(), null, null, null, null,
                ExecutionQuery.Order.STARTED_AT, false, size,
                Cursors.list(pageToken == null || pageToken.isEmpty() ? null : pageToken,
                        ExecutionQuery.Order.STARTED_AT, false));
        return Mono.fromCallable(() -> search.list(query))
                .subscribeOn(Schedulers.boundedElastic())
                .map(page -> {
                    List<ExecutionView> items = page.items();
                    ExecutionView last = items.isEmpty() ? null : items.get(items.size() - 1);
                    String next = page.hasMore() ? Cursors.list(ExecutionQuery.Order.STARTED_AT, false,
                            last.startedAt(), last.executionId()) : "";
                    return Map.of("executions", items.stream().map(YandexFormat::preview).toList(),
                            "nextPageToken", next);
                });
    }
}
