package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One task of a parsed definition, typed by what it does. Every task has a name, its position (a JSON pointer into
 * the definition) and the fields all tasks share.
 */
sealed interface Task {

    Common common();

    default String at() {
        return common().at();
    }

    /** The type as the DSL names it, as task history reports it. */
    String type();

    /**
     * What every task has: {@code if}, {@code input.from}, {@code output.as}, {@code export.as}, {@code then} and
     * {@code timeout} (inline, or the one of that name under {@code use.timeouts}, resolved when parsed; null for
     * none).
     */
    record Common(String name, String at, String when, JsonNode inputFrom, JsonNode outputAs, JsonNode exportAs,
            Flow then, Component timeout) {
    }

    record SetTask(Common common, JsonNode value) implements Task {
        public String type() {
            return "set";
        }
    }

    record SwitchTask(Common common, List<Case> cases) implements Task {
        public String type() {
            return "switch";
        }

        /** One case: a condition (none matches anything) and where it leads. */
        record Case(String when, String whenAt, Flow then) {
        }
    }

    /** {@code raise}: its error, inline or the one of that name under {@code use.errors}, resolved when parsed. */
    record RaiseTask(Common common, Component error) implements Task {
        public String type() {
            return "raise";
        }
    }

    record WaitTask(Common common, JsonNode duration) implements Task {
        public String type() {
            return "wait";
        }
    }

    record DoTask(Common common, TaskList body) implements Task {
        public String type() {
            return "do";
        }
    }

    /** {@code for}: the body once per item, with the item and its index in the named variables. */
    record ForTask(Common common, String each, String index, String in, String whileCondition, TaskList body)
            implements Task {
        public String type() {
            return "for";
        }
    }

    record ForkTask(Common common, List<Task> branches, boolean compete) implements Task {
        public String type() {
            return "fork";
        }
    }

    record TryTask(Common common, TaskList body, Catch handler) implements Task {
        public String type() {
            return "try";
        }

        /**
         * The catch block: the filter ({@code errors.with}: every property given must equal the error's), the
         * retry policy (inline or named, resolved when parsed; null for none), and the tasks that handle the error.
         */
        record Catch(java.util.Map<String, String> errorsWith, String as, String when, String exceptWhen,
                Component retry, TaskList body) {

            /** The retry policy, typed; a name that resolved to nothing fails here. */
            RetryPolicy retryPolicy() {
                return RetryPolicy.of(retry.get());
            }
        }
    }

    /**
     * {@code call}: {@code http} and {@code openapi} run as an activity; any other function fails as not supported.
     *
     * @param http the arguments of a {@code call: http}, null for any other function
     * @param openApi the arguments of a {@code call: openapi}, null for any other function
     */
    record CallTask(Common common, String function, HttpCall http, OpenApiCall openApi) implements Task {
        public String type() {
            return "call";
        }
    }

    /**
     * {@code emit}: a CloudEvent written to the event log with the step's effects.
     *
     * @param event the event's {@code with}: its attributes, extensions and data, evaluated when the task runs
     */
    record EmitTask(Common common, JsonNode event) implements Task {
        public String type() {
            return "emit";
        }
    }

    /**
     * {@code listen}: waits, parked, for the events its strategy names, and returns them.
     *
     * @param to what to consume and when to stop
     * @param read what of each event the output holds
     * @param foreach what is done with each consumed event once the listen has them all, or null
     */
    record ListenTask(Common common, Consumption to, Consumption.Read read, Iterator foreach) implements Task {
        public String type() {
            return "listen";
        }

        /**
         * A {@code foreach}: its body, run for each consumed event in turn (read as {@code read} says, in the
         * variables {@code item} and {@code index} name), and what each iteration gives the listen's output
         * ({@code output.as}) and the context ({@code export.as}).
         */
        record Iterator(String item, String index, TaskList body, JsonNode outputAs, JsonNode exportAs) {
        }
    }

    /**
     * {@code run: workflow}: another workflow of the same tenant, found by the {@code namespace}, {@code name} and
     * {@code version} of its {@code document} ({@code latest} when none is given), runs as an execution of its own,
     * a subflow (see {@link RunWorkflowHandler}).
     *
     * @param input the child's input, its expressions evaluated on the task's input; null: the task's input itself
     * @param await whether the task waits for the child and returns its output; if not, it returns its own input at
     *     once
     */
    record RunWorkflowTask(Common common, String namespace, String name, String version, JsonNode input,
            boolean await) implements Task {
        public String type() {
            return "run";
        }
    }

    /** {@code run} of a process (shell, container, script), or a task with no type this version knows. */
    record UnsupportedTask(Common common, String type) implements Task {
    }
}
