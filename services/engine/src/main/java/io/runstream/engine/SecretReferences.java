package io.runstream.engine;

/**
 * Port: the MAC of a secret reference within one execution, which only the runners can check (the worker derives
 * its key from the secrets keys). The same execution and reference always give the same MAC, so a replay dispatches
 * the same request.
 */
@FunctionalInterface
public interface SecretReferences {

    /** At least {@link SecretReference#MAC_BYTES} bytes. */
    byte[] mac(String executionId, SecretReference reference);

    /** The token standing for the reference in this execution. */
    default String token(String executionId, SecretReference reference) {
        return reference.token(mac(executionId, reference));
    }
}
