package io.runstream.ingress.web;

import io.runstream.ingress.catalog.DefinitionFormat;
import io.runstream.ingress.catalog.StoredVersion;
import io.runstream.ingress.catalog.WorkflowCatalog;
import io.runstream.ingress.catalog.WorkflowSchedules;
import io.runstream.ingress.catalog.WorkflowVersion;
import io.runstream.ingress.domain.WorkflowIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import io.runstream.api.auth.Tenant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/** The workflow catalog: create or replace (a new version each time), read, list, activate and deactivate. */
@RestController
class WorkflowController {

    private static final int MAX_LIMIT = 100;

    private final WorkflowCatalog catalog;
    private final WorkflowSchedules schedules;

    WorkflowController(WorkflowCatalog catalog, WorkflowSchedules schedules) {
        this.catalog = catalog;
        this.schedules = schedules;
    }

    @PutMapping(path = "/v1/workflows/{workflowId}", consumes = {MediaType.APPLICATION_JSON_VALUE,
            MediaType.APPLICATION_YAML_VALUE, "application/x-yaml", "text/yaml", "text/x-yaml"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<WorkflowResponse>> put(Tenant tenant, @PathVariable String workflowId,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType, @RequestBody String definition) {
        DefinitionFormat format = MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
                ? DefinitionFormat.JSON : DefinitionFormat.YAML;
        return RequestWork.blocking(() -> catalog.put(tenant.id(), workflowId, format, definition))
                .map(v -> ResponseEntity.status(v.version() == 1 ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(response(v)));
    }

    @GetMapping(path = "/v1/workflows/{workflowId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<WorkflowResponse> get(Tenant tenant, @PathVariable String workflowId) {
        return RequestWork.blocking(() -> response(catalog.get(tenant.id(), workflowId)));
    }

    @GetMapping(path = "/v1/workflows", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<WorkflowPage> list(Tenant tenant, @RequestParam(defaultValue = "20") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ServerWebInputException("limit must be between 1 and " + MAX_LIMIT);
        }
        String after = cursor == null ? null : decode(cursor);
        if (after != null && !WorkflowIds.isValid(after)) {
            throw new ServerWebInputException("cursor is not one this API returned");
        }
        return RequestWork.blocking(() -> {
            List<WorkflowVersion> found = catalog.list(tenant.id(), after, limit + 1);
            boolean hasMore = found.size() > limit;
            List<WorkflowResponse> items = found.stream().limit(limit).map(this::response).toList();
            String next = hasMore ? encode(items.get(items.size() - 1).workflowId()) : null;
            return new WorkflowPage(items, next, hasMore);
        });
    }

    @GetMapping(path = "/v1/workflows/{workflowId}/versions", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<VersionPage> versions(Tenant tenant, @PathVariable String workflowId,
            @RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ServerWebInputException("limit must be between 1 and " + MAX_LIMIT);
        }
        Integer before = cursor == null ? null : versionOf(decode(cursor));
        return RequestWork.blocking(() -> {
            List<StoredVersion> found = catalog.versions(tenant.id(), workflowId, before, limit + 1);
            boolean hasMore = found.size() > limit;
            List<VersionResponse> items = found.stream().limit(limit).map(VersionResponse::summary).toList();
            String next = hasMore ? encode(Integer.toString(items.get(items.size() - 1).version())) : null;
            return new VersionPage(items, next, hasMore);
        });
    }

    @GetMapping(path = "/v1/workflows/{workflowId}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<VersionResponse> version(Tenant tenant, @PathVariable String workflowId, @PathVariable String version) {
        int number = versionOf(version);
        return RequestWork.blocking(() -> VersionResponse.of(catalog.version(tenant.id(), workflowId, number)));
    }

    @PostMapping(path = "/v1/workflows/{workflowId}/activate", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<WorkflowResponse> activate(Tenant tenant, @PathVariable String workflowId) {
        return RequestWork.blocking(() -> response(catalog.setActive(tenant.id(), workflowId, true)));
    }

    @PostMapping(path = "/v1/workflows/{workflowId}/deactivate", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<WorkflowResponse> deactivate(Tenant tenant, @PathVariable String workflowId) {
        return RequestWork.blocking(() -> response(catalog.setActive(tenant.id(), workflowId, false)));
    }

    private WorkflowResponse response(WorkflowVersion version) {
        return WorkflowResponse.of(version, schedules.of(version));
    }


    private static String encode(String workflowId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(workflowId.getBytes(StandardCharsets.UTF_8));
    }

    private static int versionOf(String text) {
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ServerWebInputException("a version is a whole number from 1");
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ServerWebInputException("cursor is not one this API returned");
        }
    }
}
