package io.runstream.ingress.domain;

/** The definition version a new execution runs, and its text, which travels with the execution. */
public record StartableWorkflow(int version, String definition) {
}
