package io.runstream.ingress.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/**
 * The request's observation is current while its handed-off work runs (so the Kafka send inside it joins the
 * request's trace), on the thread the work runs on, and only then.
 */
class RequestWorkTest {

    private final ObservationRegistry registry = ObservationRegistry.create();
    private ObservationRegistry before;

    @BeforeEach
    void observe() {
        registry.observationConfig().observationHandler(context -> true);
        before = ObservationThreadLocalAccessor.getInstance().getObservationRegistry();
        ObservationThreadLocalAccessor.getInstance().setObservationRegistry(registry);
    }

    @AfterEach
    void restore() {
        ObservationThreadLocalAccessor.getInstance().setObservationRegistry(before);
    }

    @Test
    void shouldMakeTheRequestsObservationCurrentForBlockingWorkOffTheCallersThread() {
        Observation request = Observation.start("http.server.requests", registry);
        String caller = Thread.currentThread().getName();
        String[] ranOn = new String[1];
        Observation seen = RequestWork.blocking(() -> {
                    ranOn[0] = Thread.currentThread().getName();
                    return registry.getCurrentObservation();
                })
                .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request))
                .block(Duration.ofSeconds(5));
        assertThat(seen).isSameAs(request);
        assertThat(ranOn[0]).startsWith("boundedElastic").isNotEqualTo(caller);
        request.stop();
    }

    @Test
    void shouldMakeItCurrentForWorkOnTheCallersThreadAndClearItAfter() {
        Observation request = Observation.start("http.server.requests", registry);
        Observation seen = RequestWork.here(registry::getCurrentObservation)
                .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request))
                .block(Duration.ofSeconds(5));
        assertThat(seen).isSameAs(request);
        assertThat(registry.getCurrentObservation()).as("after the work").isNull();
        request.stop();
    }

    @Test
    void shouldRunWorkWithNoObservationWhenTheRequestHasNone() {
        assertThat(RequestWork.here(() -> registry.getCurrentObservation() == null).block()).isTrue();
    }
}
