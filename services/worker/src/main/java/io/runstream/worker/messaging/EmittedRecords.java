package io.runstream.worker.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.runstream.schemas.internal.EventEmitted;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An event an {@code emit} wrote (the engine's CloudEvent as JSON) as a record of the event log: the CloudEvents
 * Kafka binding's binary mode, with the execution's tenant stamped ({@value #TENANT}), keyed as the ingress keys
 * events (tenant/source). JSON data without a content type is given {@code application/json}, which the JSON format
 * implies and the binary mode must say.
 */
final class EmittedRecords {

    static final String TENANT = "runstreamtenant";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat FORMAT = new JsonFormat();

    private EmittedRecords() {
    }

    /** The record for the processor to forward to the event log's sink, carrying the trace's headers too. */
    static Record<String, EventEmitted> toRecord(String topic, String tenant, JsonNode emitted, Instant now,
            Headers trace) {
        CloudEvent event = stamp(FORMAT.deserialize(bytes(emitted)), tenant);
        String key = tenant + "/" + event.getSource();
        ProducerRecord<String, byte[]> binary = KafkaMessageFactory.createWriter(topic, key).writeBinary(event);
        for (Header header : trace) {
            binary.headers().add(header);
        }
        byte[] value = binary.value();
        return new Record<>(key, new EventEmitted(value == null ? null : ByteBuffer.wrap(value)), now.toEpochMilli(),
                binary.headers());
    }

    private static CloudEvent stamp(CloudEvent event, String tenant) {
        CloudEventBuilder builder = CloudEventBuilder.from(event).withExtension(TENANT, tenant);
        if (event.getData() != null && event.getDataContentType() == null) {
            builder.withData("application/json", event.getData());
        }
        return builder.build();
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
