package io.runstream.ingress.messaging;

import io.runstream.ingress.catalog.WorkflowCatalog;
import io.runstream.ingress.config.IngressProperties;
import io.runstream.ingress.domain.ExecutionIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Periodically publishes requests and workflow changes that were stored but never published, e.g. after a crash or
 * a broker outage between the two.
 */
@Component
class PendingRequestSweeper {

    private static final Logger log = LoggerFactory.getLogger(PendingRequestSweeper.class);

    private final ExecutionIntake intake;
    private final WorkflowCatalog catalog;
    private final IngressProperties.Sweeper settings;

    PendingRequestSweeper(ExecutionIntake intake, WorkflowCatalog catalog, IngressProperties properties) {
        this.intake = intake;
        this.catalog = catalog;
        this.settings = properties.sweeper();
    }

    @Scheduled(fixedDelayString = "${runstream.ingress.sweeper.interval}", initialDelayString = "${runstream.ingress.sweeper.interval}")
    void sweep() {
        int published = intake.republishPending(settings.minAge(), settings.batchSize());
        if (published > 0) {
            log.info("Published {} recorded request(s) that had not reached the log", published);
        }
        int workflows = catalog.republishPending(settings.minAge(), settings.batchSize());
        if (workflows > 0) {
            log.info("Published {} stored workflow change(s) that had not reached the log", workflows);
        }
    }
}
