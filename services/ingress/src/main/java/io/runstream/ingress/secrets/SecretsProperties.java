package io.runstream.ingress.secrets;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Secrets: the keys their values are encrypted with at rest.
 *
 * @param keys encryption keys, each {@code id:base64} of 32 random bytes (AES-256); the first encrypts, all decrypt,
 *     so a new key goes first and the old one stays until every secret is encrypted again (at start); none: the
 *     secrets API answers 503 SECRETS_NOT_CONFIGURED
 */
@Validated
@ConfigurationProperties("runstream.ingress.secrets")
public record SecretsProperties(@NotNull List<String> keys) {

    public SecretsProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
