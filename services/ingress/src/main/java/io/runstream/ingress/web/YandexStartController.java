package io.runstream.ingress.web;

import io.runstream.api.auth.Tenant;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.domain.StartExecution;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Yandex Cloud Workflows {@code Execution.Start}: {@code {workflowId, input: {inputJson | inputValue}}} answered
 * with {@code {executionId}}. The Yandex API has no idempotency key, so each call starts a new execution unless the
 * caller sends an {@code Idempotency-Key} header, which is honoured as on the canonical API.
 */
@RestController
class YandexStartController {

    private static final Set<String> FIELDS = Set.of("workflowId", "input");
    private static final Set<String> INPUT_FIELDS = Set.of("inputJson", "inputValue");

    private final ExecutionIntake intake;
    private final JsonCanonicalizer canonical;
    private final JsonMapper json;

    YandexStartController(ExecutionIntake intake, JsonCanonicalizer canonical, JsonMapper json) {
        this.intake = intake;
        this.canonical = canonical;
        this.json = json;
    }

    @PostMapping(path = "/workflows/v1/execution/start", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, String>> start(Tenant tenant, @RequestBody JsonNode body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        requireObjectWithOnly(body, FIELDS, "the request");
        JsonNode workflowId = body.get("workflowId");
        if (workflowId == null || !workflowId.isString() || workflowId.asString().isBlank()) {
            throw new ServerWebInputException("workflowId is required and must be a string");
        }
        StartExecution command = new StartExecution(tenant.id(), workflowId.asString(),
                idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString() : idempotencyKey,
                canonical.canonical(input(body.get("input"))));
        return RequestWork.blocking(() -> intake.start(command))
                .flatMap(RequestWork::sent)
                .map(outcome -> Map.of("executionId", outcome.request().executionId().toString()));
    }

    /** {@code input.inputJson} is JSON text; {@code input.inputValue} a JSON value; no input is {@code {}}. */
    private JsonNode input(JsonNode input) {
        if (input == null || input.isNull()) {
            return json.createObjectNode();
        }
        requireObjectWithOnly(input, INPUT_FIELDS, "input");
        if (input.has("inputJson") && input.has("inputValue")) {
            throw new ServerWebInputException("input takes only one of inputJson and inputValue");
        }
        if (input.has("inputValue")) {
            return input.get("inputValue");
        }
        JsonNode text = input.get("inputJson");
        if (text == null) {
            return json.createObjectNode();
        }
        if (!text.isString()) {
            throw new ServerWebInputException("input.inputJson must be a string holding JSON");
        }
        try {
            return json.readTree(text.asString());
        } catch (JacksonException e) {
            throw new ServerWebInputException("input.inputJson is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static void requireObjectWithOnly(JsonNode node, Set<String> allowed, String what) {
        if (node == null || !node.isObject()) {
            throw new ServerWebInputException(what + " must be a JSON object");
        }
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new ServerWebInputException(what + " has an unknown field '" + name + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }
}
