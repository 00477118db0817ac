package io.runstream.ingress.secrets;

import io.runstream.api.secrets.SecretCipher;
import java.time.Instant;
import java.util.List;

/** Where secrets are kept, encrypted, with whether each one's current value is on the log yet. */
public interface Secrets {

    /** Keeps the value, not yet published; the secret as listed now, whether it is new, and what was kept. */
    Put put(String tenant, String name, SecretCipher.Sealed sealed, Instant now);

    /** A put's outcome. */
    record Put(SecretInfo secret, boolean created, Stored stored) {
    }

    List<SecretInfo> list(String tenant);

    /**
     * Deletes a secret, running {@code beforeCommit} (its removal from the log) inside the deletion's transaction,
     * so a removal that fails leaves the secret as it was. True when there was one to delete.
     */
    boolean delete(String tenant, String name, Runnable beforeCommit);

    /** Up to {@code limit} secrets not encrypted under {@code keyId}, for the key's rotation. */
    List<Stored> notUnder(String keyId, int limit);

    /** Replaces a secret's sealed value (not yet published), if it is still the one read; true when it was. */
    boolean reseal(Stored read, SecretCipher.Sealed sealed, Instant now);

    /** Up to {@code limit} secrets whose current value was sealed before {@code sealedBefore} and is not published. */
    List<Stored> unpublished(Instant sealedBefore, int limit);

    /** Marks the value published, unless another has replaced it since. */
    void markPublished(Stored stored, Instant now);

    /** A secret as kept. */
    record Stored(String tenant, String name, SecretCipher.Sealed sealed) {
    }
}
