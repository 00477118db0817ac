package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.api.dialect.RequestIds;
import io.runstream.ingress.domain.AcceptedRequest;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.StartExecution;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executions v1 {@code POST /v1/executions}: the workflow runs with {@code requestPayload} as its input; the source
 * fields travel as execution metadata (searchable on {@code GET /v1/executions}); the answer is the
 * {@code {code, data: {execution}, message, requestId}} envelope with status {@code workflow_queued}. The
 * idempotency key comes from the body, else the {@code Idempotency-Key} header; without one every call is new.
 */
@RestController
class ExecutionsV1Controller {

    private static final List<String> REQUIRED = List.of("workflowId", "sourceSystem", "sourceEntityType");
    private static final List<String> OPTIONAL_TEXT = List.of("externalRef", "idempotencyKey", "sourceEntityId");
    private static final List<String> OPTIONAL_OBJECTS = List.of("requestPayload", "clientSafeMetadata");

    private final ExecutionIntake intake;
    private final JsonCanonicalizer canonical;
    private final JsonMapper json;

    ExecutionsV1Controller(ExecutionIntake intake, JsonCanonicalizer canonical, JsonMapper json) {
        this.intake = intake;
        this.canonical = canonical;
        this.json = json;
    }

    @PostMapping(path = "/v1/executions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> create(Tenant tenant, @RequestBody JsonNode body, ServerWebExchange exchange,
            @RequestHeader(name = "Idempotency-Key", required = false) String headerKey) {
        String requestId = RequestIds.of(exchange);
        if (!body.isObject()) {
            throw new ServerWebInputException("The body must be a JSON object");
        }
        Map<String, String> metadata = new HashMap<>();
        for (String field : REQUIRED) {
            metadata.put(field, text(body, field, true));
        }
        for (String field : OPTIONAL_TEXT) {
            String value = text(body, field, false);
            if (value != null) {
                metadata.put(field, value);
            }
        }
        for (String field : OPTIONAL_OBJECTS) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull() && !value.isObject()) {
                throw new ServerWebInputException(field + " must be a JSON object");
            }
        }
        JsonNode clientSafe = body.get("clientSafeMetadata");
        if (clientSafe != null && clientSafe.isObject()) {
            metadata.put("clientSafeMetadata", canonical.canonical(clientSafe));
        }
        JsonNode payload = body.get("requestPayload");
        String workflowId = metadata.remove("workflowId");
        String key = metadata.getOrDefault("idempotencyKey", headerKey);
        if (key == null || key.isBlank()) {
            key = UUID.randomUUID().toString();
        }
        metadata.put("idempotencyKey", key);
        StartExecution command = new StartExecution(tenant.id(), workflowId, key,
                canonical.canonical(payload == null || payload.isNull() ? json.createObjectNode() : payload),
                metadata);
        return RequestWork.blocking(() -> intake.start(command))
                .flatMap(RequestWork::sent)
                .map(outcome -> envelope(outcome.request(), requestId));
    }

    private Map<String, Object> envelope(AcceptedRequest request, String requestId) {
        Map<String, String> m = request.metadata();
        Map<String, Object> execution = new LinkedHashMap<>();
        execution.put("id", request.executionId().toString());
        execution.put("workflowId", request.workflowId());
        execution.put("status", "workflow_queued");
        execution.put("statusReason", null);
        execution.put("sourceSystem", m.get("sourceSystem"));
        execution.put("sourceEntityType", m.get("sourceEntityType"));
        execution.put("sourceEntityId", m.get("sourceEntityId"));
        execution.put("externalRef", m.get("externalRef"));
        execution.put("idempotencyKey", request.idempotencyKey());
        execution.put("organizationId", request.tenant());
        execution.put("runId", request.executionId().toString());
        execution.put("requestPayload", json.readTree(request.inputJson()));
        execution.put("responsePayload", null);
        execution.put("clientSafeMetadata", m.containsKey("clientSafeMetadata")
                ? json.readTree(m.get("clientSafeMetadata")) : null);
        execution.put("createdAt", request.acceptedAt());
        execution.put("updatedAt", request.acceptedAt());
        execution.put("startedAt", null);
        execution.put("finishedAt", null);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("code", 200);
        envelope.put("data", Map.of("execution", execution));
        envelope.put("message", "success");
        envelope.put("requestId", requestId);
        return envelope;
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ServerWebInputException(field + " is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw new ServerWebInputException(field + " must be a string, not " + JsonTypes.describe(value));
        }
        return TextInput.check(field, value.asString(), 255);
    }
}
