package io.runstream.ingress.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.api.auth.Tenant;
import io.runstream.ingress.secrets.SecretInfo;
import io.runstream.ingress.secrets.SecretVault;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * A tenant's secrets: put (create or replace), list and delete. Values go in and are never given back; the body is
 * read as bytes and parsed here, so no error message or log line ever quotes it.
 */
@RestController
class SecretController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretVault vault;

    SecretController(SecretVault vault) {
        this.vault = vault;
    }

    @PutMapping(path = "/v1/secrets/{name}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<SecretInfo>> put(Tenant tenant, @PathVariable String name,
            @RequestBody(required = false) byte[] body) {
        String value = value(body);
        return RequestWork.blocking(() -> vault.put(tenant.id(), name, value))
                .map(put -> ResponseEntity.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(put.secret()));
    }

    @GetMapping(path = "/v1/secrets", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<SecretPage> list(Tenant tenant) {
        return RequestWork.blocking(() -> new SecretPage(vault.list(tenant.id())));
    }

    @DeleteMapping(path = "/v1/secrets/{name}")
    Mono<ResponseEntity<Void>> delete(Tenant tenant, @PathVariable String name) {
        return RequestWork.blocking(() -> {
            vault.delete(tenant.id(), name);
            return ResponseEntity.noContent().<Void>build();
        });
    }

    /** The {@code value} of a body {@code {"value": ...}}, as JSON text; what is wrong is said without quoting it. */
    private static String value(byte[] body) {
        JsonNode request;
        try {
            request = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new ServerWebInputException("the body is not valid JSON");
        }
        JsonNode value = request == null || !request.isObject() ? null : request.get("value");
        if (value == null || value.isNull()) {
            throw new ServerWebInputException("the body is {\"value\": ...}, with a value that is not null");
        }
        return value.toString();
    }

    /** All of a tenant's secrets, by name. */
    record SecretPage(List<SecretInfo> items) {
    }
}
