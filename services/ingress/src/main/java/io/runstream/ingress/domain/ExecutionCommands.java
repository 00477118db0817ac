package io.runstream.ingress.domain;

/** Port: publishes an accepted request to the command log; returns only once the log has acknowledged it. */
public interface ExecutionCommands {

    void publish(AcceptedRequest request);
}
