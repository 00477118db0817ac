package io.runstream.worker.messaging;

import io.runstream.worker.domain.Execution;
import io.runstream.worker.domain.WorkerInput;
import org.slf4j.MDC;

/** Names the execution, tenant and trace of the input being handled in every line logged meanwhile. */
final class InputLog implements AutoCloseable {

    private InputLog() {
    }

    /** Names the input's execution, and the tenant a start or a command acts for. */
    static InputLog of(WorkerInput input) {
        MDC.put("executionId", input.executionId());
        String tenant = input instanceof WorkerInput.Start start ? start.request().tenant()
                : input instanceof WorkerInput.Command command ? command.command().tenant() : null;
        if (tenant != null) {
            MDC.put("tenant", tenant);
        }
        return new InputLog();
    }

    /** Names the stored execution's tenant, if there is one, and the trace the input runs in. */
    void execution(Execution current, String traceparent) {
        if (current != null) {
            MDC.put("tenant", current.tenant());
        }
        String traceId = traceId(traceparent);
        if (traceId != null) {
            MDC.put("traceId", traceId);
        }
    }

    @Override
    public void close() {
        MDC.remove("executionId");
        MDC.remove("tenant");
        MDC.remove("traceId");
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}), or null if it is not one. */
    static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-' ? traceparent.substring(3, 35) : null;
    }
}
