package io.runstream.ingress.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The work a request hands off (the database, the Kafka send), with the request's observation made current while
 * it runs, so that its trace reaches the records it sends. Thread locals are restored from the request's context
 * here and nowhere else: restoring them around every reactive operator (Reactor's automatic context propagation)
 * took about a fifth of the stack's CPU under load.
 */
final class RequestWork {

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

    private RequestWork() {
    }

    /** Work that may block, on the bounded elastic scheduler (off the event loop). */
    static <T> Mono<T> blocking(Callable<T> work) {
        return here(work).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * What a send's acknowledgement completes, taken up on the parallel scheduler. The Kafka producer completes it on
     * its one network thread, which every send waits on: the rest of the request (its response rendered and written)
     * ran there, one response after another between sends, and was two thirds of that thread's samples under load.
     */
    static <T> Mono<T> sent(CompletionStage<T> acknowledged) {
        return Mono.fromCompletionStage(acknowledged).publishOn(Schedulers.parallel());
    }

    /** Work that does not block, on the thread that subscribes. */
    static <T> Mono<T> here(Callable<T> work) {
        return Mono.deferContextual(context -> Mono.fromCallable(() -> {
            try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
                return work.call();
            }
        }));
    }
}
