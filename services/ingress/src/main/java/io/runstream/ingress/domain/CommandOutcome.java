package io.runstream.ingress.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The worker's decision on a command.
 *
 * @param code why it was rejected (null when accepted)
 * @param status the execution's status after the decision, if the worker knows the execution
 * @param sequence the execution's status sequence after the decision, if the worker knows it: a reader of the view
 *        or the status stream has seen the command's effect once it reaches this sequence
 * @param redriveCount how many times the execution was redriven, after the decision
 */
public record CommandOutcome(UUID commandId, boolean accepted, String code, String message, String status,
        Instant decidedAt, Long sequence, int redriveCount) {
}
