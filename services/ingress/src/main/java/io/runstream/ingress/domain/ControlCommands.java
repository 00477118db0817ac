package io.runstream.ingress.domain;

import java.util.concurrent.CompletionStage;

/** Port: the ordered control topic; completes once the command is on the log, or fails with CommandNotPublishedException. */
public interface ControlCommands {

    CompletionStage<Void> publish(ControlCommand command);
}
