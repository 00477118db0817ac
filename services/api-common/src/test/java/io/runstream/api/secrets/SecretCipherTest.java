package io.runstream.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    static String key(String id, int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return id + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void shouldOpenWhatItSealedOnlyForTheSameTenantAndName() {
        SecretCipher cipher = SecretCipher.of(List.of(key("k1", 1)));
        byte[] value = "\"s3cr3t-token\"".getBytes(StandardCharsets.UTF_8);
        SecretCipher.Sealed sealed = cipher.seal("default", "api-token", value);
        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        assertThat(cipher.open("default", "api-token", sealed)).isEqualTo(value);
        assertThat(cipher.seal("default", "api-token", value).nonce()).as("a fresh nonce each time")
                .isNotEqualTo(sealed.nonce());
        assertThatThrownBy(() -> cipher.open("other", "api-token", sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.open("default", "another", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldEncryptUnderTheFirstKeyAndOpenUnderAnyConfigured() {
        SecretCipher old = SecretCipher.of(List.of(key("old", 1)));
        SecretCipher.Sealed sealed = old.seal("t", "n", new byte[] {1, 2, 3});
        SecretCipher rotated = SecretCipher.of(List.of(key("new", 2), key("old", 1)));
        assertThat(rotated.current()).isEqualTo("new");
        assertThat(rotated.open("t", "n", sealed)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> SecretCipher.of(List.of(key("new", 2))).open("t", "n", sealed))
                .hasMessageContaining("key old, which is not configured");
    }

    @Test
    void shouldRefuseAKeyThatIsNotWellFormedWithoutQuotingIt() {
        assertThatThrownBy(() -> SecretCipher.of(List.of("k1:c2hvcnQ="))).hasMessage(
                "secrets key 1 (k1) is not id:base64 of 32 bytes");
        assertThatThrownBy(() -> SecretCipher.of(List.of("no-colon-here"))).hasMessage(
                "secrets key 1 (no id) is not id:base64 of 32 bytes");
    }
}
