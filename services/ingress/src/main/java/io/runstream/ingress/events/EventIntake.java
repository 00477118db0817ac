package io.runstream.ingress.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Takes events a tenant sends: each must fit in one record on the log, and each is stamped with the sender's tenant,
 * whatever tenant the event claims. They are accepted once the log has them all.
 */
public final class EventIntake {

    /** What one accepted event is known by: duplicates of it (the same source and id) are consumed once. */
    public record Accepted(String source, String id) {
    }

    private final EventLog log;
    private final long maxEventSize;
    private final int maxBatch;

    public EventIntake(EventLog log, long maxEventSize, int maxBatch) {
        this.log = log;
        this.maxEventSize = maxEventSize;
        this.maxBatch = maxBatch;
    }

    public CompletionStage<List<Accepted>> accept(String tenant, List<CloudEvent> events) {
        if (events.size() > maxBatch) {
            throw new EventTooLargeException("The batch holds " + events.size() + " events; the most one request "
                    + "may send is " + maxBatch + " (runstream.ingress.events.max-batch)");
        }
        List<CloudEvent> stamped = events.stream().map(event -> stamp(tenant, event)).toList();
        stamped.forEach(this::checkSize);
        return log.append(tenant, stamped).thenApply(done -> stamped.stream()
                .map(e -> new Accepted(e.getSource().toString(), e.getId())).toList());
    }

    private static CloudEvent stamp(String tenant, CloudEvent event) {
        return CloudEventBuilder.from(event).withExtension(EventLog.TENANT, tenant).build();
    }

    /** The record's size: its data, and its attributes and extensions as the Kafka binding's headers. */
    private void checkSize(CloudEvent event) {
        long size = event.getData() == null ? 0 : event.getData().toBytes().length;
        for (String name : event.getAttributeNames()) {
            Object value = event.getAttribute(name);
            size += name.length() + 3 + (value == null ? 0 : value.toString().length());
        }
        for (String name : event.getExtensionNames()) {
            size += name.length() + 3 + String.valueOf(event.getExtension(name)).length();
        }
        if (size > maxEventSize) {
            throw new EventTooLargeException("The event " + event.getId() + " from " + event.getSource() + " is "
                    + size + " bytes as a record; the most the event log takes is " + maxEventSize + " bytes "
                    + "(runstream.ingress.limits.max-record-size)");
        }
    }
}
