package io.runstream.ingress.domain;

/** The result of a start: the execution, and whether this call created it or replayed an earlier one. */
public record StartOutcome(AcceptedRequest request, boolean created) {
}
