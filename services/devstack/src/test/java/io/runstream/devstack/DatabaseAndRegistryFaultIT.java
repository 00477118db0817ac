package io.runstream.devstack;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and the schema registry taken away under load, with the whole stack running and clients starting
 * executions through the API: PostgreSQL frozen (SIGSTOP of the server and its backends), PostgreSQL killed
 * (SIGKILL) and started again on its data, and the registry frozen. While it is away starts may answer 503 and are
 * sent again, as clients do; afterwards every accepted execution has ended once, its call made once, and readiness
 * said what was missing. The outage lasts {@code runstream.fault.outage} (10 s; 30 s in the faults profile), the
 * load {@code runstream.fault.executions} starts (100; 300).
 */
class DatabaseAndRegistryFaultIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("runstream.fault.outage", "PT10S"));
    private static final int EXECUTIONS = Integer.getInteger("runstream.fault.executions", 100);

    private final TestStack stack = TestStack.shared();

    @Test
    void shouldLoseNothingWhenPostgresIsFrozenUnderLoad() throws Exception {
        ApiLoad.Figures figures = ApiLoad.underLoad(stack.baseUrl, EXECUTIONS, servicePorts(), () -> {
            try (var frozen = stack.infra.freezePostgres()) {
                ApiLoad.assertNotReady(stack.settings.ingressPort(), "db");
                ApiLoad.assertNotReady(stack.settings.projectionPort(), "db");
                ApiLoad.pause(OUTAGE);
            }
        });
        figures.print("db-freeze", "PostgreSQL frozen " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    @Test
    void shouldLoseNothingWhenPostgresIsKilledAndStartedAgainUnderLoad() throws Exception {
        ApiLoad.Figures figures = ApiLoad.underLoad(stack.baseUrl, EXECUTIONS, servicePorts(), () -> {
            stack.infra.killPostgres();
            try {
                ApiLoad.assertNotReady(stack.settings.ingressPort(), "db");
                ApiLoad.assertNotReady(stack.settings.projectionPort(), "db");
                ApiLoad.pause(OUTAGE);
            } finally {
                stack.infra.restartPostgres();
            }
        });
        figures.print("db-kill", "PostgreSQL killed, started again after " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    @Test
    void shouldLoseNothingWhenTheRegistryIsFrozenUnderLoad() throws Exception {
        ApiLoad.Figures figures = ApiLoad.underLoad(stack.baseUrl, EXECUTIONS, servicePorts(), () -> {
            try (var frozen = stack.infra.freezeRegistry()) {
                ApiLoad.assertNotReady(stack.settings.ingressPort(), "schemaRegistry");
                ApiLoad.assertNotReady(stack.settings.workerPort(), "schemaRegistry");
                ApiLoad.assertNotReady(stack.settings.projectionPort(), "schemaRegistry");
                ApiLoad.pause(OUTAGE);
            }
        });
        figures.print("registry-freeze", "registry frozen " + OUTAGE.toSeconds() + " s");
        figures.assertNothingLost(EXECUTIONS);
    }

    private List<Integer> servicePorts() {
        return List.of(stack.settings.ingressPort(), stack.settings.workerPort(), stack.settings.projectionPort());
    }
}
