package io.runstream.ingress.domain;

import java.util.Optional;

/**
 * Port: whether a start's input holds to its workflow's {@code input.schema}, checked with the program the worker
 * runs, so a start the worker would fail at once is refused before anything is recorded.
 */
public interface InputContract {

    /** Where the input first breaks the schema ("pointer: message"); empty when it holds or there is no schema. */
    Optional<String> violation(StartableWorkflow workflow, String inputJson);
}
