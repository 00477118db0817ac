package io.runstream.worker.runner;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.engine.OpenApiOperation;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityFailure;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.schemas.internal.BuiltRequest;
import io.runstream.schemas.internal.OpenApiDispatch;
import io.runstream.worker.domain.ActivityResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;

/** The runner's side of the activity records: a dispatch read as the request to make, a result written back. */
public final class ActivityRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ActivityRecords() {
    }

    public static HttpRequest toDomain(ActivityDispatched d) {
        OpenApiDispatch openApi = d.getOpenApi();
        return new HttpRequest(d.getMethod(), d.getUri(), d.getHeaders(), bytes(d.getBody()), openApi == null ? null
                : new OpenApiOperation(openApi.getOperationId(), read(openApi.getParametersJson()),
                        openApi.getAuthorization()));
    }

    /** The operation of a {@code call: openapi} as a dispatch carries it, or null for another call. */
    public static OpenApiDispatch toAvro(OpenApiOperation operation) {
        return operation == null ? null : new OpenApiDispatch(operation.operationId(),
                write(operation.parameters()), operation.authorization());
    }

    public static ActivityReported toAvro(ActivityResult result, Instant at) {
        HttpResponse r = result.response();
        return ActivityReported.newBuilder()
                .setExecutionId(result.executionId())
                .setActivity(result.activity())
                .setDispatch(result.dispatch())
                .setStatus(r.status())
                .setHeaders(new HashMap<>(r.headers()))
                .setBody(ByteBuffer.wrap(r.body()))
                .setFailure(r.failure() == null ? null : ActivityFailure.valueOf(r.failure().name()))
                .setMessage(r.message())
                .setReportedAt(at)
                .setRequest(r.request() == null ? null : new BuiltRequest(r.request().method(), r.request().uri(),
                        new HashMap<>(r.request().headers())))
                .build();
    }

    /** The request a result shows, or null for none. */
    public static HttpRequest toDomain(BuiltRequest built) {
        return built == null ? null : new HttpRequest(built.getMethod(), built.getUri(), built.getHeaders(), null);
    }

    static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Unreadable OpenAPI parameters: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(com.fasterxml.jackson.databind.JsonNode value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
