package io.runstream.worker.runner;

import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.schemas.internal.ActivityFailure;
import io.runstream.schemas.internal.ActivityReported;
import io.runstream.worker.domain.ActivityResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;

/** The runner's side of the activity records: a dispatch read as the request to make, a result written back. */
public final class ActivityRecords {

    private ActivityRecords() {
    }

    public static HttpRequest toDomain(ActivityDispatched d) {
        return new HttpRequest(d.getMethod(), d.getUri(), d.getHeaders(), bytes(d.getBody()));
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
                .build();
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
