package io.runstream.ingress.catalog;

import java.time.Instant;

/**
 * A workflow's schedule as the catalog shows it, so that a user sees when it fires next without reading the worker.
 *
 * @param kind {@code every}, {@code cron}, {@code after} or {@code on}, as the DSL names it
 * @param expression the schedule itself: an ISO-8601 duration, a cron expression (with its {@code CRON_TZ=} zone),
 *     or the {@code on} strategy as JSON
 * @param nextFireAt when an active {@code every} or {@code cron} schedule fires next; null for {@code after} (only the
 *     worker knows when the previous run ends), for {@code on}, for an inactive workflow, and for a cron expression
 *     no future time matches
 */
public record WorkflowSchedule(String kind, String expression, Instant nextFireAt) {
}
