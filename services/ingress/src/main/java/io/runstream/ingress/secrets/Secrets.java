package io.runstream.ingress.secrets;

import java.time.Instant;
import java.util.List;

/** Where secrets are kept, encrypted. */
public interface Secrets {

    /** Keeps the value; the secret as listed now, and whether it is new. */
    Put put(String tenant, String name, SecretCipher.Sealed sealed, Instant now);

    /** A put's outcome. */
    record Put(SecretInfo secret, boolean created) {
    }

    List<SecretInfo> list(String tenant);

    /** True when there was one to delete. */
    boolean delete(String tenant, String name);

    /** Up to {@code limit} secrets not encrypted under {@code keyId}, for the key's rotation. */
    List<Stored> notUnder(String keyId, int limit);

    /** Replaces a secret's sealed value, if it is still the one read; true when it was. */
    boolean reseal(Stored read, SecretCipher.Sealed sealed);

    /** A secret as kept. */
    record Stored(String tenant, String name, SecretCipher.Sealed sealed) {
    }
}
