package io.runstream.worker.runner;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.engine.SecretReference;
import io.runstream.engine.SecretReferences;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the references to secrets that the engine puts in calls, and checks them in the runner: an HMAC-SHA256, under
 * a key derived from the secrets keys, over the execution and what the reference names. A reference that an
 * execution's input or a response brings in, or one copied from another execution, does not check, so it is sent as
 * the text it is rather than filled in.
 */
public final class SecretTokens implements SecretReferences {

    private static final String PURPOSE = "runstream secret references v1";
    private static final HexFormat HEX = HexFormat.of();

    private final List<SecretKeySpec> keys;

    private SecretTokens(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /** Tokens under the configured secrets keys; with none, the tokens made never check. */
    public static SecretTokens of(List<String> secretsKeys) {
        if (secretsKeys.isEmpty()) {
            return new SecretTokens(List.of());
        }
        return new SecretTokens(SecretCipher.of(secretsKeys).derived(PURPOSE).stream()
                .map(key -> new SecretKeySpec(key, "HmacSHA256")).toList());
    }

    /** Whether any key is configured: without one no secret can be filled in. */
    public boolean configured() {
        return !keys.isEmpty();
    }

    @Override
    public byte[] mac(String executionId, SecretReference reference) {
        // with no key, a token that cannot check: the runner then says that secrets are not configured
        return keys.isEmpty() ? new byte[SecretReference.MAC_BYTES] : mac(keys.get(0), executionId, reference);
    }

    /** Whether a token's MAC is the one this execution's reference has under one of the keys. */
    public boolean checks(String executionId, SecretReference reference, String macHex) {
        byte[] given = HEX.parseHex(macHex);
        for (SecretKeySpec key : keys) {
            byte[] expected = java.util.Arrays.copyOf(mac(key, executionId, reference), SecretReference.MAC_BYTES);
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] mac(SecretKeySpec key, String executionId, SecretReference reference) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(executionId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(reference.payload());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
