package io.runstream.ingress.secrets;

import io.runstream.api.secrets.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's secrets: values kept encrypted ({@link SecretCipher}) and never given back; names and times listed.
 * Encrypting again under the current key what an older key encrypted is how a key is rotated. Every value is
 * published, still encrypted, to the log the runners read it from ({@link SecretLog}); one stored but not published
 * (the broker away) is published by the sweeper.
 */
public final class SecretVault {

    /** The largest value kept, as JSON text. */
    public static final int MAX_VALUE_BYTES = 16 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Logger log = LoggerFactory.getLogger(SecretVault.class);

    private final Secrets secrets;
    private final SecretLog secretLog;
    private final SecretCipher cipher;
    private final Clock clock;

    /** @param cipher the keys, or null when none is configured (every operation then says so) */
    public SecretVault(Secrets secrets, SecretLog secretLog, SecretCipher cipher, Clock clock) {
        this.secrets = secrets;
        this.secretLog = secretLog;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Keeps a value (JSON text) under a name; the value is encrypted before it goes anywhere. */
    public Secrets.Put put(String tenant, String name, String valueJson) {
        check(name);
        byte[] value = valueJson.getBytes(StandardCharsets.UTF_8);
        if (value.length > MAX_VALUE_BYTES) {
            throw new ValueTooLargeException();
        }
        Secrets.Put put = keys().put(tenant, name, cipher.seal(tenant, name, value), clock.instant());
        publishQuietly(put.stored());
        return put;
    }

    public List<SecretInfo> list(String tenant) {
        return keys().list(tenant);
    }

    public void delete(String tenant, String name) {
        check(name);
        if (!keys().delete(tenant, name, () -> secretLog.remove(tenant, name))) {
            throw new SecretNotFoundException(name);
        }
    }

    /** Encrypts again under the current key every secret an older key encrypted; how many it did. */
    public int rotate() {
        if (cipher == null) {
            return 0;
        }
        int done = 0;
        int resealed;
        do {
            resealed = 0;
            for (Secrets.Stored stored : secrets.notUnder(cipher.current(), 100)) {
                try {
                    byte[] value = cipher.open(stored.tenant(), stored.name(), stored.sealed());
                    Secrets.Stored again = new Secrets.Stored(stored.tenant(), stored.name(),
                            cipher.seal(stored.tenant(), stored.name(), value));
                    if (secrets.reseal(stored, again.sealed(), clock.instant())) {
                        resealed++;
                        publishQuietly(again);
                    }
                } catch (IllegalStateException e) {
                    log.error("Secret {} of tenant {} cannot be encrypted again: {}", stored.name(),
                            stored.tenant(), e.getMessage());
                }
            }
            done += resealed;
        } while (resealed > 0);
        if (done > 0) {
            log.info("Encrypted {} secrets again under key {}", done, cipher.current());
        }
        return done;
    }

    /**
     * Publishes secrets whose current value was sealed more than {@code minAge} ago and is not on the log yet; how
     * many it did. It stops at the first failure (the broker away); the next sweep goes on.
     */
    public int republishPending(java.time.Duration minAge, int batchSize) {
        int published = 0;
        for (Secrets.Stored stored : secrets.unpublished(clock.instant().minus(minAge), batchSize)) {
            secretLog.publish(stored);
            secrets.markPublished(stored, clock.instant());
            published++;
        }
        return published;
    }

    private void publishQuietly(Secrets.Stored stored) {
        try {
            secretLog.publish(stored);
            secrets.markPublished(stored, clock.instant());
        } catch (RuntimeException e) {
            log.warn("Secret {} of tenant {} is stored but not yet published; the sweeper will retry: {}",
                    stored.name(), stored.tenant(), e.getMessage());
        }
    }

    private Secrets keys() {
        if (cipher == null) {
            throw new SecretsNotConfiguredException();
        }
        return secrets;
    }

    private static void check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSecretNameException();
        }
    }

    /** A value over {@link #MAX_VALUE_BYTES}. */
    public static class ValueTooLargeException extends RuntimeException {

        public ValueTooLargeException() {
            super("A secret's value is at most " + MAX_VALUE_BYTES / 1024 + " KB of JSON");
        }
    }
}
