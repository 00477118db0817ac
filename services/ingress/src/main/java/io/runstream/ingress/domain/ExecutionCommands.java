package io.runstream.ingress.domain;

import java.util.concurrent.CompletionStage;

/** Port: publishes an accepted request to the command log; completes once the log has acknowledged it. */
public interface ExecutionCommands {

    CompletionStage<Void> publish(AcceptedRequest request);
}
