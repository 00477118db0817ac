package io.runstream.ingress.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Takes a CloudEvent a tenant sends to one execution (a signal): stamped with the sender's tenant, whatever tenant
 * it claims, put in the CloudEvents JSON format, and accepted once the signals topic has it. The ingress does not
 * know whether the execution exists or whose it is; the worker that owns it decides, and drops a signal for an
 * execution it does not hold for that tenant.
 */
public final class SignalIntake {

    /** What the accepted signal is known by. */
    public record Accepted(UUID executionId, String eventId, String source) {
    }

    private static final JsonFormat FORMAT = new JsonFormat();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignalLog log;
    private final Clock clock;
    private final long maxRecordSize;

    public SignalIntake(SignalLog log, Clock clock, long maxRecordSize) {
        this.log = log;
        this.clock = clock;
        this.maxRecordSize = maxRecordSize;
    }

    public CompletionStage<Accepted> accept(String tenant, UUID executionId, CloudEvent event) {
        CloudEvent stamped = CloudEventBuilder.from(event).withExtension(EventLog.TENANT, tenant).build();
        Signal signal = new Signal(executionId, tenant, json(stamped), clock.instant());
        checkFitsOnTheLog(signal, event);
        return log.append(signal).thenApply(done -> new Accepted(executionId, event.getId(),
                event.getSource().toString()));
    }

    /** Refuses a signal whose record the log would refuse; the exact size is counted only when the bound passes. */
    private void checkFitsOnTheLog(Signal signal, CloudEvent event) {
        if (log.recordSizeBound(signal) <= maxRecordSize) {
            return;
        }
        long size = log.recordSize(signal);
        if (size > maxRecordSize) {
            throw new EventTooLargeException("The signal " + event.getId() + " from " + event.getSource() + " is "
                    + size + " bytes as a record (the event as JSON, binary data in base64); the most the signals "
                    + "topic takes is " + maxRecordSize + " bytes (runstream.ingress.limits.max-record-size)");
        }
    }

    /**
     * The event in structured mode: its data as JSON when its content type is JSON (or absent, which the format
     * reads as JSON), else as {@code data_base64}. Data that claims to be JSON and is not would make no JSON at all,
     * so it is refused.
     */
    private static String json(CloudEvent event) {
        byte[] json = FORMAT.serialize(event);
        try {
            JSON.readTree(json);
        } catch (IOException e) {
            String type = event.getDataContentType();
            throw new InvalidEventException("Invalid event: its data is not valid JSON, and its 'datacontenttype' "
                    + (type == null ? "is absent, which means JSON" : "is " + type) + "; give the data's content type "
                    + "(as the Content-Type header in binary mode)");
        }
        return new String(json, StandardCharsets.UTF_8);
    }
}
