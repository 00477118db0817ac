package io.runstream.worker.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.api.kafka.TopicFollower;
import io.runstream.schemas.internal.ActivityCancelled;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Stops calls their execution no longer waits on (it was stopped, a timeout cut the task short, another branch won
 * a compete). Every runner reads every cancel, in a group of its own, from when it starts, on a listener of its own
 * that is never paused, so a cancel reaches a runner at its in-flight limit too.
 */
@Component
class CancelListener {

    private static final Logger log = LoggerFactory.getLogger(CancelListener.class);

    private final InFlightCalls calls;
    private final Clock clock;
    private final Counter stopped;

    CancelListener(InFlightCalls calls, Clock clock, MeterRegistry meters) {
        this.calls = calls;
        this.clock = clock;
        this.stopped = Counter.builder("runstream.activities.cancelled")
                .description("Calls this runner stopped because their execution no longer waited on them")
                .register(meters);
    }

    /** A batch at a time: a stopped fork cancels all its calls at once, and none of them takes another's slot. */
    @KafkaListener(id = "activity-cancels", topics = "${runstream.worker.topics.cancels}",
            groupId = "runstream-runner-cancels-${random.uuid}", batch = "true",
            properties = {"runstream.avro.value.type=io.runstream.schemas.internal.ActivityCancelled",
                    "auto.offset.reset=latest",
                    // its group is its own, given every partition when it joins: a cancel is answered at once, and
                    // an idle runner sends a tenth as many empty fetches as at Kafka's 500 ms (after its group
                    // rejoins, say the broker restarted, cancels may come up to that late; a late one is harmless)
                    "fetch.max.wait.ms=" + TopicFollower.IDLE_FETCH_WAIT_MS})
    void onCancelled(List<ActivityCancelled> cancels) {
        List<InFlightCalls.Key> keys = cancels.stream().filter(java.util.Objects::nonNull)
                .map(c -> new InFlightCalls.Key(c.getExecutionId(), c.getActivity())).toList();
        int running = calls.cancelAll(keys, clock.millis());
        if (running > 0) {
            stopped.increment(running);
            log.debug("Stopped {} call(s) their executions no longer wait on", running);
        }
    }
}
