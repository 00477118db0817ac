package io.runstream.engine;

/** Where a task list goes after a task: the next task, out of the list, to the end of the workflow, or to a named task. */
public sealed interface Flow {

    Flow CONTINUE = new Continue();
    Flow EXIT = new Exit();
    Flow END = new End();

    /** The DSL's {@code then}: {@code continue}, {@code exit}, {@code end} or the name of a task in the same list. */
    static Flow parse(String directive) {
        if (directive == null) {
            return CONTINUE;
        }
        return switch (directive) {
            case "continue" -> CONTINUE;
            case "exit" -> EXIT;
            case "end" -> END;
            default -> new GoTo(directive);
        };
    }

    /** The directive as the DSL writes it. */
    String text();

    /** Go on with the next task. */
    record Continue() implements Flow {
        public String text() {
            return "continue";
        }
    }

    /** Leave the current task list; its parent goes on. */
    record Exit() implements Flow {
        public String text() {
            return "exit";
        }
    }

    /** End the workflow with the current data. */
    record End() implements Flow {
        public String text() {
            return "end";
        }
    }

    /** Go to the task of that name in the same list. */
    record GoTo(String name) implements Flow {
        public String text() {
            return name;
        }
    }
}
