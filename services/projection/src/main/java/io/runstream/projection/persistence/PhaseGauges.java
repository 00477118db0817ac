package io.runstream.projection.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Executions parked (RUNNING with only timers and listens pending, phase WAITING) and suspended (paused), across all
 * tenants, as gauges. They are counted from the view when scraped, at most once per {@value #REFRESH_MILLIS} ms.
 */
@Component
class PhaseGauges {

    private static final long REFRESH_MILLIS = 10_000;

    private final JdbcClient jdbc;
    private Map<String, Long> counts = Map.of();
    private long countedAt;

    PhaseGauges(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("runstream.executions.parked", this, g -> g.count("WAITING"))
                .description("Running executions with only timers and listens pending (phase WAITING)").register(meters);
        Gauge.builder("runstream.executions.suspended", this, g -> g.count("SUSPENDED"))
                .description("Paused executions (phase SUSPENDED)").register(meters);
    }

    private synchronized double count(String phase) {
        long now = System.currentTimeMillis();
        if (now - countedAt > REFRESH_MILLIS) {
            Map<String, Long> fresh = new HashMap<>();
            jdbc.sql("SELECT phase, count(*) FROM executions WHERE phase IS NOT NULL AND status = 'RUNNING'"
                    + " GROUP BY phase").query(rs -> {
                        fresh.put(rs.getString(1), rs.getLong(2));
                    });
            counts = fresh;
            countedAt = now;
        }
        return counts.getOrDefault(phase, 0L);
    }
}
