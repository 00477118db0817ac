package io.runstream.api.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * API keys. Keys are never configured in clear: each entry holds the SHA-256 of a key and the tenant it acts for.
 *
 * @param keys the accepted keys
 */
@Validated
@ConfigurationProperties("runstream.auth")
public record AuthProperties(@NotNull List<@Valid Key> keys) {

    /**
     * One API key.
     *
     * @param name who holds the key, for logs; never the key itself
     * @param tenant the tenant requests with this key act for
     * @param sha256 hex SHA-256 of the key, e.g. from {@code printf %s "$KEY" | sha256sum}
     */
    public record Key(@NotBlank String name, @NotBlank String tenant,
            @NotNull @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex characters") String sha256) {
    }
}
