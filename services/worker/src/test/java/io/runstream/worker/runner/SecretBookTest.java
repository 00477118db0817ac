package io.runstream.worker.runner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class SecretBookTest {

    @Test
    void shouldWaitForTheConditionEvenWhenItsSubscriberAsksLate() {
        AtomicBoolean ready = new AtomicBoolean();
        // no demand for 200 ms: several ticks come before the request
        StepVerifier.create(SecretBook.once(ready::get, Duration.ofSeconds(5)), 0)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(200))
                .then(() -> ready.set(true))
                .thenRequest(1)
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void shouldEndEmptyWhenTheConditionNeverHolds() {
        StepVerifier.create(SecretBook.once(() -> false, Duration.ofMillis(300)))
                .expectSubscription()
                .verifyComplete();
    }
}
