package io.runstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.runstream.api.secrets.SecretCipher;
import io.runstream.ingress.secrets.SecretInfo;
import io.runstream.ingress.secrets.SecretLog;
import io.runstream.ingress.secrets.SecretVault;
import io.runstream.ingress.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Secrets on a real database: put, list, delete, per tenant, never given back, never kept in clear; key rotation. */
class SecretsIT extends IngressTestBase {

    @Autowired
    Secrets secrets;

    @Autowired
    SecretLog secretLog;

    /** Every record on the secrets topic with this key, in order: values as bytes, a deletion as null. */
    private static List<byte[]> published(String key, int atLeast) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "secrets-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<byte[]> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("runstream.secrets"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r.value());
                    }
                });
            }
        }
        return found;
    }

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

        // the runners' copy: both values, encrypted, then the deletion; none marked unpublished
        List<byte[]> records = published("default/" + name, 3);
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).isNotNull();
        assertThat(new String(records.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).contains(name)
                .doesNotContain(value);
        assertThat(new String(records.get(1), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(value);
        assertThat(records.get(2)).as("a tombstone").isNull();
    }

    @Test
    void shouldPublishWhatWasStoredWhileTheLogWasAwayOnceItIsBack() {
        String tenant = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        SecretLog away = new SecretLog() {
            @Override
            public void publish(Secrets.Stored stored) {
                throw new IllegalStateException("the broker is away");
            }

            @Override
            public void remove(String tenant, String name) {
                throw new io.runstream.ingress.secrets.SecretsNotPublishedException(name,
                        new IllegalStateException("the broker is away"));
            }
        };
        SecretCipher cipher = SecretCipher.of(List.of(key("k", 3)));
        SecretVault whileAway = new SecretVault(secrets, away, cipher, Clock.systemUTC());
        whileAway.put(tenant, "late", "\"v\"");
        assertThat(catchThrowable(() -> whileAway.delete(tenant, "late"))).as("a deletion the log did not take")
                .isInstanceOf(io.runstream.ingress.secrets.SecretsNotPublishedException.class);
        assertThat(whileAway.list(tenant)).as("is not made").extracting(SecretInfo::name).containsExactly("late");

        SecretVault back = new SecretVault(secrets, secretLog, cipher, Clock.systemUTC());
        assertThat(back.republishPending(Duration.ZERO, 100)).isGreaterThanOrEqualTo(1);
        assertThat(published(tenant + "/late", 1)).hasSize(1);
        assertThat(back.republishPending(Duration.ZERO, 100)).as("nothing left to publish").isZero();
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
        new SecretVault(secrets, secretLog, SecretCipher.of(List.of(oldKey)), Clock.systemUTC())
                .put(tenant, "a", "\"one\"");
        new SecretVault(secrets, secretLog, SecretCipher.of(List.of(oldKey)), Clock.systemUTC())
                .put(tenant, "b", "\"two\"");

        SecretVault rotated = new SecretVault(secrets, secretLog, SecretCipher.of(List.of(newKey, oldKey)),
                Clock.systemUTC());
        assertThat(rotated.rotate()).isGreaterThanOrEqualTo(2);
        assertThat(rotated.rotate()).as("nothing left to do").isZero();

        SecretCipher onlyNew = SecretCipher.of(List.of(newKey));
        List<Secrets.Stored> kept = jdbc.sql("SELECT name, key_id, nonce, ciphertext FROM secrets WHERE tenant = ? "
                + "ORDER BY name").param(tenant).query((rs, i) -> new Secrets.Stored(tenant, rs.getString(1),
                new SecretCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4)))).list();
        assertThat(kept).extracting(s -> s.sealed().keyId()).containsExactly("new", "new");
        assertThat(kept).extracting(s -> new String(onlyNew.open(tenant, s.name(), s.sealed())))
                .containsExactly("\"one\"", "\"two\"");
        // the runners get each one again under the new key, and open it with that key alone
        List<byte[]> records = published(tenant + "/a", 2);
        assertThat(records).hasSize(2);
        var values = new io.runstream.schemas.serde.AvroDeserializer<io.runstream.schemas.SecretSealed>();
        values.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl(),
                io.runstream.schemas.serde.AvroDeserializer.VALUE_TYPE_CONFIG, io.runstream.schemas.SecretSealed.class),
                false);
        io.runstream.schemas.SecretSealed last = values.deserialize("runstream.secrets", records.get(1));
        assertThat(last.getKeyId()).isEqualTo("new");
        assertThat(new String(onlyNew.open(tenant, "a", new SecretCipher.Sealed(last.getKeyId(),
                bytes(last.getNonce()), bytes(last.getCiphertext()))))).isEqualTo("\"one\"");
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static String key(String id, int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return id + ":" + java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
