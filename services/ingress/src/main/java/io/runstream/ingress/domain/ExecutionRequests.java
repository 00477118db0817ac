package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: the durable record of accepted requests, by idempotency key. */
public interface ExecutionRequests {

    /** Records the request unless its key is taken; returns the request already recorded under the key, if any. */
    Optional<AcceptedRequest> recordIfAbsent(AcceptedRequest request);

    /** The request recorded under this tenant, workflow and idempotency key, if any. */
    Optional<AcceptedRequest> find(String tenant, String workflowId, String idempotencyKey);

    /**
     * Notes that the request is on the log. This may be recorded a little later and must not block: if the
     * process dies first, the request is published again, and the worker ignores the duplicate.
     */
    void markPublished(ExecutionId executionId, Instant publishedAt);

    /**
     * Deletes up to {@code limit} published or refused requests accepted before {@code acceptedBefore}; returns how
     * many.
     */
    int forgetPublishedBefore(Instant acceptedBefore, int limit);

    /**
     * Notes that the log refused the request for good, with why: it is published no more, and a replay of its key
     * is answered with the reason.
     */
    void markRefused(ExecutionId executionId, String reason);

    /** Requests accepted before {@code acceptedBefore}, still not published and not refused, oldest first. */
    List<AcceptedRequest> unpublished(Instant acceptedBefore, int limit);
}
