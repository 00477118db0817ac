package io.runstream.ingress.events;

import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where accepted events go: the event log every listener and schedule reads. */
public interface EventLog {

    /** The name of the extension attribute that carries the tenant an event belongs to. */
    String TENANT = "runstreamtenant";

    /** Completes once every event is acknowledged by the log, or fails if any is not. */
    CompletionStage<Void> append(String tenant, List<CloudEvent> events);
}
