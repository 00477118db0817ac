package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the durable record of accepted requests, by idempotency key. */
public interface ExecutionRequests {

    /** Records the request unless its key is taken; returns the request already recorded under the key, if any. */
    Optional<AcceptedRequest> recordIfAbsent(AcceptedRequest request);

    void markPublished(ExecutionId executionId, Instant publishedAt);

    /** Requests accepted before {@code acceptedBefore} and still not published, oldest first. */
    List<AcceptedRequest> unpublished(Instant acceptedBefore, int limit);
}
