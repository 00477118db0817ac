package io.runstream.api.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value; the tenant and name are the associated data, so a value copied
 * to another row does not open. The first key encrypts; every key decrypts what it encrypted.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String current;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(String current, Map<String, SecretKeySpec> keys) {
        this.current = current;
        this.keys = keys;
    }

    /**
     * The cipher of keys written {@code id:base64} (32 bytes each), the first one current.
     *
     * @throws IllegalArgumentException naming the key that is not well formed (never its bytes)
     */
    public static SecretCipher of(List<String> written) {
        if (written.isEmpty()) {
            throw new IllegalArgumentException("no secrets key is configured");
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (int i = 0; i < written.size(); i++) {
            String key = written.get(i).trim();
            int colon = key.indexOf(':');
            String id = colon < 1 ? null : key.substring(0, colon);
            byte[] bytes;
            try {
                bytes = colon < 1 ? null : Base64.getDecoder().decode(key.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                bytes = null;
            }
            if (id == null || bytes == null || bytes.length != 32) {
                throw new IllegalArgumentException("secrets key " + (i + 1) + " (" + (id == null ? "no id" : id)
                        + ") is not id:base64 of 32 bytes");
            }
            keys.put(id, new SecretKeySpec(bytes, "AES"));
        }
        return new SecretCipher(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /**
     * A key for another purpose derived from each key (HMAC-SHA256 of the purpose), the current key's first: what
     * signs with one key need not be able to decrypt.
     */
    public List<byte[]> derived(String purpose) {
        List<byte[]> out = new java.util.ArrayList<>();
        out.add(derive(keys.get(current), purpose));
        keys.forEach((id, key) -> {
            if (!id.equals(current)) {
                out.add(derive(key, purpose));
            }
        });
        return out;
    }

    private static byte[] derive(SecretKeySpec key, String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The id of the key that encrypts. */
    public String current() {
        return current;
    }

    /** The value encrypted under the current key, bound to its tenant and name. */
    public Sealed seal(String tenant, String name, byte[] value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated(tenant, name));
            return new Sealed(current, nonce, cipher.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The value a sealed one holds.
     *
     * @throws IllegalStateException when its key is not configured or it does not open (tampered, or another row's)
     */
    public byte[] open(String tenant, String name, Sealed sealed) {
        SecretKeySpec key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("secret " + name + " is encrypted under key " + sealed.keyId()
                    + ", which is not configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associated(tenant, name));
            return cipher.doFinal(sealed.ciphertext());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret " + name + " does not open under key " + sealed.keyId(), e);
        }
    }

    private static byte[] associated(String tenant, String name) {
        return (tenant + '\u0000' + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A value as it is kept: the id of its key, its nonce and its ciphertext (with the tag). */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }
}
