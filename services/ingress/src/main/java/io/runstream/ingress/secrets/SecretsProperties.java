package io.runstream.ingress.secrets;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Secrets: the keys their values are encrypted with at rest, and the topic the runners read them from.
 *
 * @param keys encryption keys, each {@code id:base64} of 32 random bytes (AES-256); the first encrypts, all decrypt,
 *     so a new key goes first and the old one stays until every secret is encrypted again (at start); none: the
 *     secrets API answers 503 SECRETS_NOT_CONFIGURED; the workers need the same keys to open them
 * @param topic compacted topic every secret is published to, still encrypted, keyed by tenant/name
 */
@Validated
@ConfigurationProperties("runstream.ingress.secrets")
public record SecretsProperties(@NotNull List<String> keys, @NotBlank String topic) {

    public SecretsProperties {
        // an empty environment variable binds as one blank key: none
        keys = keys == null ? List.of() : keys.stream().filter(k -> k != null && !k.isBlank()).toList();
    }
}
