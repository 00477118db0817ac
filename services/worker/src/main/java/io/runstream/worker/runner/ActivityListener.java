package io.runstream.worker.runner;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.runstream.api.schedule.WhileWaitingTicker;
import io.runstream.api.tracing.RecordTraces;
import io.runstream.schemas.internal.ActivityDispatched;
import io.runstream.worker.settings.WorkerProperties;
import io.runstream.worker.domain.ActivityResult;
import io.runstream.engine.HttpRequest;
import io.runstream.engine.HttpResponse;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The runner's inbox: performs each dispatched activity in the background and reports its result.
 * <ul>
 *   <li><b>At most once per runner.</b> Each polled batch is committed before any of its activities starts, so a
 *       runner that dies or freezes never has its started activities delivered to another runner: what it had in
 *       flight or waiting is lost, its leases run out in the worker, and only those activities are dispatched again
 *       (with the same Idempotency-Key). A dispatch read after its deadline is dropped, since the worker dispatches
 *       it again anyway.</li>
 *   <li><b>Fair slots.</b> {@code max-in-flight} slots are shared among tenants by a {@link FairScheduler}: a tenant
 *       alone may use all but {@code reserved-slots}; when several wait, a freed slot goes to the one with the
 *       fewest calls in flight; the reserved slots go only to a tenant below its share of them, so a tenant whose
 *       calls hang in every other slot cannot keep another's next call waiting.</li>
 *   <li><b>Reading ahead.</b> To see that another tenant waits, the runner reads past the slots into a local queue
 *       bounded by {@link ReadAhead}: {@code max-waiting} dispatches, and half of them for one tenant, beyond which
 *       the listener, or the partitions bringing that tenant's dispatches, pause until it drains to half.</li>
 *   <li><b>No drop for waiting.</b> A dispatch starts by its start-by, its deadline minus {@code http.call-timeout}
 *       minus {@link #REPORT_ALLOWANCE}, whatever the shares (above {@code max-in-flight} if no slot is free, at most
 *       {@code max-waiting} calls above it). Every call ends within {@code call-timeout}, so it reports before its
 *       lease ends and is never dispatched again for having waited. Starting in time needs no change to the worker,
 *       which stays the only owner of leases, rather than a lease extension sent back for each waiting dispatch.
 *       Only a runner with every slot and the whole overflow busy for a whole call gives up a dispatch that reaches
 *       its deadline in the queue, as one read too late always was.</li>
 * </ul>
 */
@Component
class ActivityListener {

    static final String ID = "activities";
    /** Time kept between a call's total deadline and its lease's end, for its report to reach the worker. */
    static final Duration REPORT_ALLOWANCE = Duration.ofSeconds(1);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(ActivityListener.class);

    /** A dispatch read and committed, waiting for a slot or running. */
    private record Dispatch(ActivityDispatched dispatched, HttpRequest request, Headers headers) {
    }

    private final ActivityRunner runner;
    private final OpenApiRunner openApi;
    private final ResultReporter reporter;
    private final KafkaListenerEndpointRegistry registry;
    private final Duration callTimeout;
    private final Clock clock;
    private final RecordTraces traces;
    private final FairScheduler<Dispatch> scheduler;
    private final ReadAhead readAhead;
    private final Launcher<FairScheduler.Start<Dispatch>> launcher = new Launcher<>(this::start);
    private final WhileWaitingTicker ticker;
    private final InFlightCalls calls;

    ActivityListener(ActivityRunner runner, OpenApiRunner openApi, KafkaTemplate<String, Object> template,
            KafkaListenerEndpointRegistry registry, WorkerProperties properties, Clock clock, MeterRegistry meters,
            RecordTraces traces, InFlightCalls calls) {
        this.calls = calls;
        WorkerProperties.Activities activities = properties.activities();
        this.runner = runner;
        this.openApi = openApi;
        this.reporter = new ResultReporter(template, properties.topics().reports(), clock);
        this.registry = registry;
        this.callTimeout = properties.http().callTimeout();
        this.clock = clock;
        this.traces = traces;
        this.scheduler = new FairScheduler<>(activities.maxInFlight(), activities.reservedSlots(),
                activities.maxWaiting());
        this.readAhead = new ReadAhead(activities.maxWaiting(), this::container);
        Gauge.builder("runstream.activities.in.flight", scheduler, FairScheduler::inFlight)
                .description("Activities (HTTP calls) this runner is performing now").register(meters);
        Gauge.builder("runstream.activities.waiting", scheduler, FairScheduler::waiting)
                .description("Dispatches this runner has read and holds until a slot is theirs").register(meters);
        // start-by admissions and expiries of what waits for a slot; nothing to do while nothing waits
        this.ticker = new WhileWaitingTicker(this::tick, scheduler::waiting, Schedulers.parallel(), TICK);
    }

    @PreDestroy
    void stopTicking() {
        ticker.stop();
    }

    /**
     * Takes what the read-ahead bounds allow, commits it (up to any unreadable record) with the consumer itself, so
     * a commit refused because this runner is no longer in its group fails the batch before anything runs: another
     * runner has those dispatches. What was not taken is read again once the queue drains.
     */
    @KafkaListener(id = ID, idIsGroup = false, topics = "${runstream.worker.topics.dispatch}", batch = "true")
    void onDispatch(List<ConsumerRecord<String, ActivityDispatched>> batch, Consumer<?, ?> consumer) {
        int poison = -1;
        for (int i = 0; i < batch.size() && poison < 0; i++) {
            poison = batch.get(i).value() == null ? i : -1;
        }
        List<ConsumerRecord<String, ActivityDispatched>> readable = batch.subList(0, poison < 0 ? batch.size()
                : poison);
        List<ConsumerRecord<String, ActivityDispatched>> taken = readAhead.take(readable, scheduler.waiting(),
                scheduler::waiting);
        if (taken.size() < readable.size()) {
            // the queue is full: read the rest again, the unreadable one included, once it drains
            List<ConsumerRecord<String, ActivityDispatched>> rest = new ArrayList<>(batch);
            rest.removeAll(taken);
            DispatchOffsets.rewind(rest, consumer);
            poison = -1;
        }
        List<Dispatch> dispatches = taken.stream()
                .map(r -> new Dispatch(r.value(), ActivityRecords.toDomain(r.value()), r.headers())).toList();
        if (!DispatchOffsets.commit(taken, consumer)) {
            return;
        }
        dispatches.forEach(this::offer);
        readAhead.resumeIfDrained(scheduler::waiting, scheduler::waiting);
        if (poison >= 0) {
            // the error handler dead-letters it and delivers the rest of the batch again
            throw new BatchListenerFailedException("Unreadable dispatch", batch.get(poison));
        }
    }

    private void offer(Dispatch dispatch) {
        ActivityDispatched dispatched = dispatch.dispatched();
        long now = clock.millis();
        long deadline = dispatched.getDeadline().toEpochMilli();
        if (now > deadline) {
            expired(dispatch);
            return;
        }
        long startBy = deadline - callTimeout.toMillis() - REPORT_ALLOWANCE.toMillis();
        apply(scheduler.offer(dispatched.getTenant(), dispatch, startBy, deadline, now));
    }

    private void tick() {
        try {
            apply(scheduler.tick(clock.millis()));
            readAhead.resumeIfDrained(scheduler::waiting, scheduler::waiting);
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again, and the start-by admissions depend on this one
            log.warn("Activity scheduling tick failed", e);
        }
    }

    private void apply(FairScheduler.Decisions<Dispatch> decisions) {
        decisions.expired().forEach(ActivityListener::expired);
        launcher.launch(decisions.starts());
        ticker.wake();
    }

    /** Starts the call, unless its execution stopped waiting on it before it could start. */
    private void start(FairScheduler.Start<Dispatch> slot) {
        ActivityDispatched dispatched = slot.item().dispatched();
        MDC.put("executionId", dispatched.getExecutionId());
        MDC.put("tenant", dispatched.getTenant());
        try {
            InFlightCalls.Key key = new InFlightCalls.Key(dispatched.getExecutionId(), dispatched.getActivity());
            if (calls.isCancelled(key, clock.millis())) {
                // the execution stopped waiting on it before it could start
                done(slot);
                return;
            }
            if (!slot.slotted()) {
                log.debug("Started activity {} of execution {} above max-in-flight: it reached its start-by",
                        dispatched.getActivity(), dispatched.getExecutionId());
            }
            Mono<ActivityResult> call = call(slot, key);
            if (call == null) {
                done(slot);
                return;
            }
            // stoppable from the moment it starts: a cancel that comes first disposes the call as it subscribes
            Disposable.Swap handle = Disposables.swap();
            calls.started(key, handle, clock.millis());
            handle.update(call.subscribe(reporter::report));
        } finally {
            MDC.remove("executionId");
            MDC.remove("tenant");
        }
    }

    /**
     * The call, under an observation that continues the execution's trace (from the dispatch's {@code traceparent}),
     * so the call's own span is in that trace and the callee gets its traceparent; null if it could not be started.
     */
    private Mono<ActivityResult> call(FairScheduler.Start<Dispatch> slot, InFlightCalls.Key key) {
        ActivityDispatched dispatched = slot.item().dispatched();
        try {
            Observation activity = traces.start("runstream.activity", slot.item().headers());
            HttpRequest request = slot.item().request();
            Mono<HttpResponse> performed = request.openApi() == null
                    ? runner.perform(request, dispatched.getTenant(), dispatched.getExecutionId(),
                            dispatched.getIdempotencyKey(), callTimeout)
                    : openApi.perform(request, dispatched.getTenant(), dispatched.getExecutionId(),
                            dispatched.getIdempotencyKey(), callTimeout);
            return performed
                    .map(response -> new ActivityResult(dispatched.getExecutionId(), dispatched.getActivity(),
                            dispatched.getDispatch(), response))
                    .doFinally(signal -> {
                        activity.stop();
                        calls.ended(key);
                        done(slot);
                    })
                    .contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, activity));
        } catch (RuntimeException e) {
            // nothing was started: give the slot back (its lease runs out and the worker dispatches it again)
            log.warn("Activity {} of execution {} could not be started", dispatched.getActivity(),
                    dispatched.getExecutionId(), e);
            return null;
        }
    }

    private void done(FairScheduler.Start<Dispatch> slot) {
        apply(scheduler.release(slot, clock.millis()));
        readAhead.resumeIfDrained(scheduler::waiting, scheduler::waiting);
    }

    private MessageListenerContainer container() {
        return registry.getListenerContainer(ID);
    }

    private static void expired(Dispatch dispatch) {
        ActivityDispatched dispatched = dispatch.dispatched();
        log.debug("Dropped expired dispatch {} of activity {} of execution {}", dispatched.getDispatch(),
                dispatched.getActivity(), dispatched.getExecutionId());
    }
}
