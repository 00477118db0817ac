package io.runstream.ingress.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the CloudEvents HTTP binding: structured mode ({@code application/cloudevents+json}), batch mode
 * ({@code application/cloudevents-batch+json}) and binary mode (attributes in {@code ce-} headers, the body as the
 * data). It checks what the SDK would otherwise report vaguely or not at all, naming the attribute: the required
 * {@code specversion} 1.0, {@code id}, {@code source} and {@code type}, and data that claims to be JSON but is not.
 */
public final class EventReader {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat FORMAT = new JsonFormat();
    private static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");

    /**
     * @param contentType the request's content type, or null
     * @param headers the request's headers, names in lower case
     */
    public List<CloudEvent> read(String contentType, Map<String, String> headers, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith(BATCH)) {
            return batch(body);
        }
        if (type.startsWith(STRUCTURED)) {
            return List.of(structured(tree(body, "The body"), "event"));
        }
        return List.of(binary(contentType, headers, body));
    }

    /**
     * One event, in structured or binary mode; a batch is refused.
     *
     * @param what what the one event is, for the refusal of a batch ("A signal")
     */
    public CloudEvent readOne(String what, String contentType, Map<String, String> headers, byte[] body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(BATCH)) {
            throw new InvalidEventException(what + " is one event: send it as " + STRUCTURED
                    + " or in binary mode (ce- headers), not as a batch (" + BATCH + ")");
        }
        return read(contentType, headers, body).get(0);
    }

    private static List<CloudEvent> batch(byte[] body) {
        JsonNode events = tree(body, "The batch");
        if (!events.isArray()) {
            throw new InvalidEventException("A batch must be a JSON array of events, not " + events.getNodeType());
        }
        if (events.isEmpty()) {
            throw new InvalidEventException("The batch holds no event");
        }
        List<CloudEvent> read = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            read.add(structured(events.get(i), "event " + i + " of the batch"));
        }
        return read;
    }

    private static CloudEvent structured(JsonNode event, String which) {
        if (!event.isObject()) {
            throw new InvalidEventException("Invalid " + which + ": a structured event is a JSON object");
        }
        for (String attribute : REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new InvalidEventException("Invalid " + which + ": the required attribute '" + attribute
                        + "' is " + (value == null ? "missing" : "not a non-empty string"));
            }
        }
        specVersion(event.get("specversion").asText(), which);
        try {
            return FORMAT.deserialize(JSON.writeValueAsBytes(event));
        } catch (EventDeserializationException | CloudEventRWException | IllegalStateException
                | JsonProcessingException e) {
            throw new InvalidEventException("Invalid " + which + ": " + reason(e));
        }
    }

    private static CloudEvent binary(String contentType, Map<String, String> headers, byte[] body) {
        for (String attribute : REQUIRED) {
            String value = headers.get("ce-" + attribute);
            if (value == null || value.isBlank()) {
                throw new InvalidEventException("The required attribute '" + attribute + "' is missing: send it as "
                        + "the header ce-" + attribute + " (binary mode), or send the event as "
                        + STRUCTURED + " or a batch as " + BATCH);
            }
        }
        specVersion(headers.get("ce-specversion"), "event");
        if (contentType != null && isJson(contentType) && body.length > 0) {
            tree(body, "The event's data (" + contentType + ")");
        }
        try {
            return HttpMessageFactory.createReader(headers, body).toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            throw new InvalidEventException("Invalid event: " + reason(e));
        }
    }

    private static void specVersion(String version, String which) {
        if (!"1.0".equals(version)) {
            throw new InvalidEventException("Invalid " + which + ": specversion '" + version
                    + "' is not supported; it must be '1.0'");
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/json") || type.contains("+json");
    }

    private static JsonNode tree(byte[] body, String what) {
        if (body.length == 0) {
            throw new InvalidEventException(what + " is empty");
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new InvalidEventException(what + " is not valid JSON: " + reason(e));
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
