package io.runstream.ingress.secrets;

/**
 * Port: the compacted topic the runners read secrets from, keyed by tenant and name. Values go there as they are
 * kept, encrypted; each call returns once the broker has acknowledged it, and throws if it did not.
 */
public interface SecretLog {

    void publish(Secrets.Stored stored);

    /** A tombstone: the runners forget the secret. */
    void remove(String tenant, String name);
}
