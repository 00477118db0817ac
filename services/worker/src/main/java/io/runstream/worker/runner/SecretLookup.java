package io.runstream.worker.runner;

import io.runstream.api.secrets.SecretCipher;
import reactor.core.publisher.Mono;

/** Port: a tenant's secret as kept, still encrypted; empty when the tenant has none of that name. */
@FunctionalInterface
public interface SecretLookup {

    Mono<SecretCipher.Sealed> find(String tenant, String name);
}
