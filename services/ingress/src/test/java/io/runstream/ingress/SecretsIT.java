package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.ingress.secrets.SecretCipher;
import io.runstream.ingress.secrets.SecretVault;
import io.runstream.ingress.secrets.Secrets;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Secrets on a real database: put, list, delete, per tenant, never given back, never kept in clear; key rotation. */
class SecretsIT extends IngressTestBase {

    @Autowired
    Secrets secrets;

    private WebTestClient.ResponseSpec put(WebTestClient client, String name, String body) {
        return client.put().uri("/v1/secrets/{name}", name).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    @Test
    void shouldKeepATenantsSecretsEncryptedAndNeverGiveAValueBack() {
        String name = "token-" + UUID.randomUUID().toString().substring(0, 8);
        String value = "clear-" + UUID.randomUUID();
        put(web, name, "{\"value\":\"" + value + "\"}").expectStatus().isCreated().expectBody()
                .jsonPath("$.name").isEqualTo(name).jsonPath("$.createdAt").exists()
                .jsonPath("$.value").doesNotExist()
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).doesNotContain(value));
        put(web, name, "{\"value\":{\"username\":\"u\",\"password\":\"" + value + "\"}}").expectStatus().isOk();

        web.get().uri("/v1/secrets").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.items[?(@.name == '" + name + "')].updatedAt").exists()
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).doesNotContain(value));
        // another tenant neither sees nor deletes it
        WebTestClient other = anonymous.mutate().defaultHeader("X-API-Key", OTHER_TENANT_KEY).build();
        other.get().uri("/v1/secrets").exchange().expectStatus().isOk().expectBody()
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).doesNotContain(name));
        other.delete().uri("/v1/secrets/{name}", name).exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("SECRET_NOT_FOUND");

        // no table holds the value in clear
        List<String> tables = jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                .query(String.class).list();
        for (String table : tables) {
            assertThat(jdbc.sql("SELECT count(*) FROM \"" + table + "\" t WHERE t::text LIKE ?")
                    .param("%" + value + "%").query(Long.class).single()).as("rows of %s holding it", table).isZero();
        }

        web.delete().uri("/v1/secrets/{name}", name).exchange().expectStatus().isNoContent();
        web.delete().uri("/v1/secrets/{name}", name).exchange().expectStatus().isNotFound();
        web.get().uri("/v1/secrets").exchange().expectBody()
                .consumeWith(r -> assertThat(new String(r.getResponseBody())).doesNotContain(name));
    }

    @Test
    void shouldAnswerWhatIsWrongWithoutQuotingTheValue() {
        put(web, "bad name!", "{\"value\":\"x\"}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_SECRET_NAME");
        put(web, "ok", "{\"value\":null}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        put(web, "ok", "{\"value\":\"never-quoted").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.message").value(m -> assertThat((String) m).doesNotContain("never-quoted"));
        put(web, "ok", "{\"value\":\"" + "x".repeat(17 * 1024) + "\"}").expectStatus()
                .isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        put(anonymous, "ok", "{\"value\":\"x\"}").expectStatus().isUnauthorized();
    }

    @Test
    void shouldEncryptEverySecretAgainUnderANewKeySoTheOldOneCanGo() {
        String tenant = "rotation-" + UUID.randomUUID().toString().substring(0, 8);
        String oldKey = key("old", 7);
        String newKey = key("new", 9);
        new SecretVault(secrets, SecretCipher.of(List.of(oldKey)), Clock.systemUTC()).put(tenant, "a", "\"one\"");
        new SecretVault(secrets, SecretCipher.of(List.of(oldKey)), Clock.systemUTC()).put(tenant, "b", "\"two\"");

        SecretVault rotated = new SecretVault(secrets, SecretCipher.of(List.of(newKey, oldKey)), Clock.systemUTC());
        assertThat(rotated.rotate()).isGreaterThanOrEqualTo(2);
        assertThat(rotated.rotate()).as("nothing left to do").isZero();

        SecretCipher onlyNew = SecretCipher.of(List.of(newKey));
        List<Secrets.Stored> kept = jdbc.sql("SELECT name, key_id, nonce, ciphertext FROM secrets WHERE tenant = ? "
                + "ORDER BY name").param(tenant).query((rs, i) -> new Secrets.Stored(tenant, rs.getString(1),
                new SecretCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4)))).list();
        assertThat(kept).extracting(s -> s.sealed().keyId()).containsExactly("new", "new");
        assertThat(kept).extracting(s -> new String(onlyNew.open(tenant, s.name(), s.sealed())))
                .containsExactly("\"one\"", "\"two\"");
    }

    private static String key(String id, int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return id + ":" + java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
