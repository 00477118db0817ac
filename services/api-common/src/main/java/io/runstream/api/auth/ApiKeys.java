package io.runstream.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Resolves a presented API key to its tenant by the key's SHA-256; the keys themselves are never held. */
final class ApiKeys {

    private final Map<String, AuthProperties.Key> byHash;

    ApiKeys(List<AuthProperties.Key> keys) {
        this.byHash = keys.stream().collect(Collectors.toUnmodifiableMap(k -> k.sha256().toLowerCase(Locale.ROOT),
                Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("API keys '" + a.name() + "' and '" + b.name()
                            + "' have the same hash");
                }));
    }

    /** The configured key the presented one hashes to: its name and tenant. */
    Optional<AuthProperties.Key> keyOf(String presentedKey) {
        return Optional.ofNullable(byHash.get(sha256(presentedKey)));
    }

    static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
