package io.runstream.worker.messaging;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.runstream.schemas.internal.CorrelationKind;
import io.runstream.schemas.internal.CorrelationRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event log, where any producer may write CloudEvents in the Kafka binding (binary or structured mode), and
 * sends each event to the correlation index twice: under its route (tenant and type), where listens naming that
 * type wait, and under its tenant's {@code *} route, where listens that filter the type otherwise wait. The tenant is
 * the {@value EmittedRecords#TENANT} extension: write access to the topic is trusted for the tenant a record names.
 * A record that is no CloudEvent, or names no tenant, reaches no listen; it is logged, and the log goes on.
 */
final class EventRouter implements Processor<String, byte[], String, CorrelationRecord> {

    private static final Logger log = LoggerFactory.getLogger(EventRouter.class);
    private static final JsonFormat FORMAT = new JsonFormat();
    private ProcessorContext<String, CorrelationRecord> context;

    @Override
    public void init(ProcessorContext<String, CorrelationRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CloudEvent event;
        try {
            event = KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
        } catch (RuntimeException e) {
            log.warn("A record of the event log is not a CloudEvent, so no listen gets it: {}", e.getMessage());
            return;
        }
        Object tenant = event.getExtension(EmittedRecords.TENANT);
        if (tenant == null || tenant.toString().isBlank()) {
            log.warn("Event {} from {} names no tenant ({}), so no listen gets it", event.getId(), event.getSource(),
                    EmittedRecords.TENANT);
            return;
        }
        String json = new String(FORMAT.serialize(event), StandardCharsets.UTF_8);
        long acceptedAt = record.timestamp();
        for (String type : new String[] {event.getType(), null}) {
            String route = CorrelationKeys.route(tenant.toString(), type);
            context.forward(new Record<>(route, new CorrelationRecord(CorrelationKind.EVENT, tenant.toString(), json,
                    Instant.ofEpochMilli(acceptedAt), null), acceptedAt));
        }
    }
}
