package io.runstream.ingress.messaging;

import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.secrets.SecretLog;
import io.runstream.ingress.secrets.Secrets;
import io.runstream.ingress.secrets.SecretsNotPublishedException;
import io.runstream.ingress.secrets.SecretsProperties;
import io.runstream.schemas.SecretSealed;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Secrets, still encrypted, on their compacted topic keyed by {@code tenant/name}; each send waits for the ack. */
@Component
class KafkaSecretLog implements SecretLog {

    private final KafkaTemplate<String, SecretSealed> template;
    private final String topic;
    private final long timeoutMillis;

    KafkaSecretLog(KafkaTemplate<String, SecretSealed> template, SecretsProperties secrets,
            IngressProperties properties) {
        this.template = template;
        this.topic = secrets.topic();
        this.timeoutMillis = properties.publishTimeout().toMillis();
    }

    @Override
    public void publish(Secrets.Stored stored) {
        send(stored.tenant(), stored.name(), new SecretSealed(stored.tenant(), stored.name(),
                stored.sealed().keyId(), ByteBuffer.wrap(stored.sealed().nonce()),
                ByteBuffer.wrap(stored.sealed().ciphertext()), Instant.now()));
    }

    @Override
    public void remove(String tenant, String name) {
        send(tenant, name, null);
    }

    private void send(String tenant, String name, SecretSealed value) {
        try {
            template.send(topic, tenant + "/" + name, value).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretsNotPublishedException(name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SecretsNotPublishedException(name, e);
        }
    }
}
