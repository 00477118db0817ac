package io.runstream.worker.domain;

/**
 * One input of one execution, mapped once from the record it arrived in, so that what the worker decides depends on
 * what the input says and never on how it was encoded. Inputs from outside (a start, a command, a stop) name the
 * tenant they act for, which the state machine checks against the execution's; the others are the worker's own.
 */
public sealed interface WorkerInput {

    String executionId();

    /** Calls the handler's method for this kind of input. */
    <R> R accept(Handler<R> handler);

    /** One method per kind of input: adding a kind does not compile until every handler takes it. */
    interface Handler<R> {

        R start(Start start);

        R command(Command command);

        R stop(Stop stop);

        R report(Report report);

        R timer(TimerDue timer);

        R continuation(Continuation continuation);

        R event(Event event);

        R childEnded(ChildEnded ended);
    }

    /** A request to start an execution. */
    record Start(ExecutionRequest request) implements WorkerInput {

        @Override
        public String executionId() {
            return request.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.start(this);
        }
    }

    /**
     * A caller's command (stop, pause, resume, redrive), answered with an outcome.
     *
     * @param startsRead true once every start sent before the command was read: an execution still unknown then
     *         does not exist (see {@link Admission.Hold})
     */
    record Command(ExecutionCommand command, boolean startsRead) implements WorkerInput {

        /** A command as it arrives, before the starts sent ahead of it are known to have been read. */
        public Command(ExecutionCommand command) {
            this(command, false);
        }

        @Override
        public String executionId() {
            return command.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.command(this);
        }
    }

    /** A stop from the older stops topic, answered with no outcome. */
    record Stop(StopRequest request) implements WorkerInput {

        @Override
        public String executionId() {
            return request.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.stop(this);
        }
    }

    /** A runner's result for one dispatch of an activity. */
    record Report(ActivityResult result) implements WorkerInput {

        @Override
        public String executionId() {
            return result.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.report(this);
        }
    }

    /** A timer of the execution that came due, read from the timer index. */
    record TimerDue(String executionId, long timer) implements WorkerInput {

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.timer(this);
        }
    }

    /** The run yielded after {@code transitions} steps and goes on. */
    record Continuation(String executionId, long transitions) implements WorkerInput {

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.continuation(this);
        }
    }

    /** An event for one of the execution's listens, or sent to it alone. */
    record Event(EventDelivery delivery) implements WorkerInput {

        @Override
        public String executionId() {
            return delivery.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.event(this);
        }
    }

    /** A subflow this execution started ended. */
    record ChildEnded(ChildEnd end) implements WorkerInput {

        @Override
        public String executionId() {
            return end.executionId();
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.childEnded(this);
        }
    }
}
