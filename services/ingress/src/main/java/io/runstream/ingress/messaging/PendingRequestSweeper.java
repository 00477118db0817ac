package io.runstream.ingress.messaging;

import io.runstream.ingress.catalog.WorkflowCatalog;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.ExecutionIntake;
import io.runstream.ingress.secrets.SecretVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Periodically publishes requests, workflow changes and secrets that were stored but never published, e.g. after a crash or
 * a broker outage between the two, and forgets idempotency keys that have outlived their window.
 */
@Component
class PendingRequestSweeper {

    private static final Logger log = LoggerFactory.getLogger(PendingRequestSweeper.class);

    private final ExecutionIntake intake;
    private final WorkflowCatalog catalog;
    private final SecretVault secrets;
    private final IngressProperties.Sweeper settings;
    private final int cleanupBatchSize;
    private volatile boolean failing;

    PendingRequestSweeper(ExecutionIntake intake, WorkflowCatalog catalog, SecretVault secrets,
            IngressProperties properties) {
        this.intake = intake;
        this.catalog = catalog;
        this.secrets = secrets;
        this.settings = properties.sweeper();
        this.cleanupBatchSize = properties.idempotency().cleanupBatchSize();
    }

    /** Forgets idempotency keys older than the window, a batch at a time until none are left. */
    @Scheduled(fixedDelayString = "${runstream.ingress.idempotency.cleanup-interval}",
            initialDelayString = "${runstream.ingress.idempotency.cleanup-interval}")
    void forgetExpiredKeys() {
        int total = 0;
        int forgotten;
        do {
            forgotten = intake.forgetExpiredKeys(cleanupBatchSize);
            total += forgotten;
        } while (forgotten == cleanupBatchSize);
        if (total > 0) {
            log.info("Forgot {} idempotency key(s) older than the idempotency window", total);
        }
    }

    @Scheduled(fixedDelayString = "${runstream.ingress.sweeper.interval}", initialDelayString = "${runstream.ingress.sweeper.interval}")
    void sweep() {
        boolean ok = true;
        try {
            int published = intake.republishPending(settings.minAge(), settings.batchSize());
            if (published > 0) {
                log.info("Published {} recorded request(s) that had not reached the log", published);
            }
        } catch (RuntimeException e) {
            ok = failed("requests", e);
        }
        try {
            int workflows = catalog.republishPending(settings.minAge(), settings.batchSize());
            if (workflows > 0) {
                log.info("Published {} stored workflow change(s) that had not reached the log", workflows);
            }
        } catch (RuntimeException e) {
            ok = failed("workflow changes", e);
        }
        try {
            int published = secrets.republishPending(settings.minAge(), settings.batchSize());
            if (published > 0) {
                log.info("Published {} stored secret(s), encrypted, that had not reached the log", published);
            }
        } catch (RuntimeException e) {
            ok = failed("secrets", e);
        }
        if (ok && failing) {
            failing = false;
            log.info("The sweeper works again");
        }
    }

    /** One line when sweeps start failing (the database or the broker away), not a stack trace every interval. */
    private boolean failed(String what, RuntimeException e) {
        if (!failing) {
            failing = true;
            log.warn("The sweeper could not publish pending {} and will try again every {}: {}", what,
                    settings.interval(), rootMessage(e));
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
