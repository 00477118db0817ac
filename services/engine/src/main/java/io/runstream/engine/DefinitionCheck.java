package io.runstream.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * The mistakes a definition can hold that the DSL's JSON schema cannot see, found when it is compiled rather than
 * when a run reaches them: a runtime expression that is not valid jq, a reference to a {@code use} component that is
 * not defined, a {@code then} that names no task of its list. Each is reported with the JSON pointer of the mistake.
 */
final class DefinitionCheck {

    /** The shortest {@code every} or {@code after} a schedule may have. */
    static final int MIN_SCHEDULE_SECONDS = 1;

    /** Task types in the order they are recognized, as {@link Definition} does. */
    private static final List<String> TYPES = List.of("for", "fork", "try", "call", "set", "switch", "raise", "wait",
            "emit", "listen", "run", "do");
    private static final Set<String> DIRECTIVES = Set.of("continue", "exit", "end");

    /** Where a call may name a secret: the parts of its {@code with} the runner fills in. */
    private static final Set<String> SECRET_PLACES = Set.of("endpoint", "headers", "query", "body", "parameters",
            "document", "authentication");
    private static final java.util.regex.Pattern SECRETS = java.util.regex.Pattern.compile("\\$secrets\\b");
    /** {@code $secrets} followed by field names: {@code .name}, {@code ."name"} or {@code ["name"]}. */
    private static final java.util.regex.Pattern SECRET_PATH = java.util.regex.Pattern.compile(
            "\\$secrets((?:\\.[A-Za-z_][A-Za-z0-9_]*|\\.?\\[\\s*\"[^\"\\\\]+\"\\s*]|\\.\"[^\"\\\\]+\")+)");
    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile(
            "\\.([A-Za-z_][A-Za-z0-9_]*)|\\.?\\[\\s*\"([^\"\\\\]+)\"\\s*]|\\.\"([^\"\\\\]+)\"");

    private final JsonNode use;
    private final Set<String> secrets = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Every expression of the definition, compiled, by its jq text. */
    private final Map<String, JsonQuery> queries = new java.util.HashMap<>();
    /** Every {@code $secrets} reference of the definition, with where it first stands. */
    private final Map<SecretReference, String> references = new java.util.LinkedHashMap<>();
    /** Whether the expressions being checked stand where a secret may be named. */
    private boolean secretsAllowed;

    /** What checking a definition found: its mistakes, its expressions compiled, and the secrets they name. */
    record Result(List<Problem> problems, Map<String, JsonQuery> queries, Set<SecretReference> references) {
    }

    private DefinitionCheck(JsonNode source) {
        this.use = source.path("use");
        use.path("secrets").forEach(name -> secrets.add(name.asText()));
    }

    /**
     * Its mistakes (in document order; none when it is sound) and its compiled expressions, the one walk of the
     * definition that finds both.
     */
    static Result check(JsonNode source) {
        DefinitionCheck check = new DefinitionCheck(source);
        check.workflow(source);
        check.overlappingReferences();
        return new Result(List.copyOf(check.problems), Map.copyOf(check.queries),
                java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(check.references.keySet())));
    }

    private void workflow(JsonNode source) {
        transform(source.path("input").get("from"), "/input/from");
        transform(source.path("output").get("as"), "/output/as");
        timeout(source.get("timeout"), "/timeout");
        schedule(source.get("schedule"));
        list(source.path("do"), "/do");
        use.path("errors").properties().forEach(e -> values(e.getValue(), "/use/errors/" + e.getKey()));
        use.path("timeouts").properties().forEach(e -> values(e.getValue(), "/use/timeouts/" + e.getKey()));
        use.path("retries").properties().forEach(e -> retry(e.getValue(), "/use/retries/" + e.getKey()));
        secretsAllowed = true;
        use.path("authentications").properties().forEach(e -> {
            values(e.getValue(), "/use/authentications/" + escape(e.getKey()));
            policy(e.getValue(), "/use/authentications/" + escape(e.getKey()));
        });
        secretsAllowed = false;
    }

    /**
     * The workflow's {@code schedule}: exactly one kind; fixed durations of at least {@value #MIN_SCHEDULE_SECONDS}
     * s; a cron expression that parses; an {@code on} strategy (see {@link #on}) and its {@code read}.
     */
    private void schedule(JsonNode schedule) {
        if (schedule == null) {
            return;
        }
        List<String> kinds = java.util.stream.Stream.of("every", "cron", "after", "on").filter(schedule::has)
                .toList();
        if (!schedule.isObject() || kinds.size() != 1) {
            problems.add(new Problem("/schedule", "a schedule names exactly one of 'every', 'cron', 'after' or "
                    + "'on'"));
            return;
        }
        String kind = kinds.get(0);
        String at = "/schedule/" + kind;
        JsonNode read = schedule.get("read");
        if (read != null && !Set.of("data", "envelope", "raw").contains(read.asText())) {
            problems.add(new Problem("/schedule/read", "'" + read.asText() + "' is not a way to read events; use "
                    + "data, envelope or raw"));
        }
        JsonNode value = schedule.get(kind);
        switch (kind) {
            case "every", "after" -> {
                if (Expressions.isExpression(value)) {
                    problems.add(new Problem(at, "a schedule's duration is fixed, not a runtime expression"));
                    return;
                }
                try {
                    java.time.Duration duration = Durations.parse(value, jq -> value, at);
                    if (duration.compareTo(java.time.Duration.ofSeconds(MIN_SCHEDULE_SECONDS)) < 0) {
                        problems.add(new Problem(at, "a schedule's duration is at least " + MIN_SCHEDULE_SECONDS
                                + " second; '" + value.asText(value.toString()) + "' is shorter"));
                    }
                } catch (WorkflowError e) {
                    problems.add(new Problem(at, e.detail()));
                }
            }
            case "cron" -> {
                try {
                    if (Schedule.Cron.parse(value.asText()).slotAfter(java.time.Instant.EPOCH)
                            .equals(java.time.Instant.MAX)) {
                        problems.add(new Problem(at, "'" + value.asText() + "' names no time that exists, so it "
                                + "would never fire"));
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(at, e.getMessage()));
                }
            }
            default -> on(value, at);
        }
    }

    private void list(JsonNode list, String at) {
        Set<String> names = new HashSet<>();
        list.forEach(item -> item.properties().forEach(task -> names.add(task.getKey())));
        for (int i = 0; i < list.size(); i++) {
            for (Map.Entry<String, JsonNode> task : list.get(i).properties()) {
                task(task.getValue(), at + "/" + i + "/" + task.getKey(), names);
            }
        }
    }

    private void task(JsonNode node, String at, Set<String> siblings) {
        expression(node.get("if"), at + "/if");
        transform(node.path("input").get("from"), at + "/input/from");
        transform(node.path("output").get("as"), at + "/output/as");
        transform(node.path("export").get("as"), at + "/export/as");
        flow(node.get("then"), at + "/then", siblings);
        timeout(node.get("timeout"), at + "/timeout");
        String type = TYPES.stream().filter(node::has).findFirst().orElse("");
        switch (type) {
            case "for" -> {
                expression(node.path("for").get("in"), at + "/for/in");
                expression(node.get("while"), at + "/while");
                list(node.path("do"), at + "/do");
            }
            case "fork" -> fork(node.path("fork").path("branches"), at + "/fork/branches");
            case "try" -> {
                list(node.path("try"), at + "/try");
                handler(node.path("catch"), at + "/catch");
            }
            case "switch" -> cases(node.path("switch"), at + "/switch", siblings);
            case "raise" -> reference("errors", node.path("raise").get("error"), at + "/raise/error");
            case "do" -> list(node.path("do"), at + "/do");
            case "emit" -> {
                values(node.get("emit"), at + "/emit");
                EmittedEvents.check(node.path("emit").path("event").path("with"), at + "/emit/event/with", problems);
            }
            case "listen" -> listen(node, at);
            case "run" -> {
                values(node.get("run"), at + "/run");
                subflow(node.path("run").get("workflow"), at + "/run/workflow");
            }
            case "call" -> {
                node.path("with").properties().forEach(arg -> {
                    secretsAllowed = SECRET_PLACES.contains(arg.getKey());
                    values(arg.getValue(), at + "/with/" + escape(arg.getKey()));
                    secretsAllowed = false;
                });
                authentications(node.get("with"), at + "/with");
            }
            default -> {
                if (!type.isEmpty()) {
                    values(node.get(type), at + "/" + type);
                }
            }
        }
    }

    /** A {@code run: workflow}: the workflow is found by its fixed namespace, name and version. */
    private void subflow(JsonNode workflow, String at) {
        if (workflow == null) {
            return;
        }
        for (String field : List.of("namespace", "name", "version")) {
            JsonNode value = workflow.get(field);
            if (value != null && Expressions.isExpression(value)) {
                problems.add(new Problem(at + "/" + field, "a subflow is found by the " + field + " its "
                        + "document declares, given as text, not as a runtime expression"));
            }
        }
    }

    /**
     * A {@code listen}: its filters' expressions and patterns, its {@code until}, its {@code read}, and its
     * {@code foreach} body and transforms.
     */
    private void listen(JsonNode task, String taskAt) {
        JsonNode foreach = task.get("foreach");
        if (foreach != null) {
            if (!foreach.isObject() || !foreach.path("do").isArray()) {
                problems.add(new Problem(taskAt + "/foreach", "'foreach' names the tasks ('do') to run for each "
                        + "consumed event"));
            } else {
                list(foreach.path("do"), taskAt + "/foreach/do");
                transform(foreach.path("output").get("as"), taskAt + "/foreach/output/as");
                transform(foreach.path("export").get("as"), taskAt + "/foreach/export/as");
            }
        }
        JsonNode listen = task.path("listen");
        String at = taskAt + "/listen";
        JsonNode read = listen.get("read");
        if (read != null && !Set.of("data", "envelope", "raw").contains(read.asText())) {
            problems.add(new Problem(at + "/read", "'" + read.asText() + "' is not a way to read events; use data, "
                    + "envelope or raw"));
        }
        consumption(listen.path("to"), at + "/to");
    }

    /**
     * A {@code schedule.on}: a consumption strategy as a listen's, without {@code until} (each event, or each set of
     * events, starts a run), and with correlations only under {@code all}, where they group events, and without
     * {@code expect} (no input to evaluate it on).
     */
    private void on(JsonNode on, String at) {
        if (!on.isObject()) {
            problems.add(new Problem(at, "'on' is an event consumption strategy: one, any or all"));
            return;
        }
        consumption(on, at);
        if (on.has("until")) {
            problems.add(new Problem(at + "/until", "each event (or set of events) 'on' takes starts a run, so it has "
                    + "no 'until'"));
        }
        List<String> lists = on.has("one") ? List.of("one") : List.of("any", "all");
        for (String list : lists) {
            JsonNode filters = on.get(list);
            if (filters == null) {
                continue;
            }
            for (int i = 0; i < (filters.isArray() ? filters.size() : 1); i++) {
                JsonNode filter = filters.isArray() ? filters.get(i) : filters;
                String where = at + "/" + list + (filters.isArray() ? "/" + i : "") + "/correlate";
                JsonNode correlate = filter.path("correlate");
                if (!correlate.isMissingNode() && !list.equals("all")) {
                    problems.add(new Problem(where, "'correlate' in 'on' groups the events of 'all'; a run that one "
                            + "event starts has nothing to correlate it with"));
                }
                correlate.properties().stream().filter(c -> c.getValue().has("expect")).forEach(c -> problems.add(
                        new Problem(where + "/" + escape(c.getKey()) + "/expect", "'on' has no input to evaluate "
                                + "'expect' on: events of 'all' are grouped by the values 'from' gives")));
            }
        }
    }

    private void consumption(JsonNode to, String at) {
        long strategies = java.util.stream.Stream.of("one", "any", "all").filter(to::has).count();
        if (strategies != 1) {
            problems.add(new Problem(at, "a listen names exactly one of 'one', 'any' or 'all'"));
            return;
        }
        if (to.has("one")) {
            eventFilter(to.get("one"), at + "/one");
        }
        for (String list : List.of("any", "all")) {
            JsonNode filters = to.get(list);
            if (filters == null) {
                continue;
            }
            if (!filters.isArray() || list.equals("all") && filters.isEmpty()) {
                problems.add(new Problem(at + "/" + list, "'" + list + "' is a list of event filters"
                        + (list.equals("all") ? ", at least one" : "")));
                continue;
            }
            for (int i = 0; i < filters.size(); i++) {
                eventFilter(filters.get(i), at + "/" + list + "/" + i);
            }
        }
        JsonNode until = to.get("until");
        if (until != null && until.isTextual()) {
            expression(until, at + "/until");
        } else if (until != null && until.isObject()) {
            if (until.has("until")) {
                problems.add(new Problem(at + "/until/until", "an 'until' strategy has no 'until' of its own"));
            }
            consumption(until, at + "/until");
        }
    }

    private void eventFilter(JsonNode filter, String at) {
        JsonNode with = filter.get("with");
        if (with == null || !with.isObject() || with.isEmpty()) {
            problems.add(new Problem(at + "/with", "an event filter names at least one attribute the event must "
                    + "have"));
            return;
        }
        for (Map.Entry<String, JsonNode> attribute : with.properties()) {
            JsonNode value = attribute.getValue();
            String where = at + "/with/" + escape(attribute.getKey());
            if (Expressions.isExpression(value)) {
                expression(value, where);
            } else if (value.isTextual() && EventMatch.isPattern(value.asText())) {
                try {
                    java.util.regex.Pattern.compile(value.asText());
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(new Problem(where, "'" + shorten(value.asText()) + "' is not a valid regular "
                            + "expression: " + e.getDescription()));
                }
            } else {
                values(value, where);
            }
        }
        for (Map.Entry<String, JsonNode> correlation : filter.path("correlate").properties()) {
            String where = at + "/correlate/" + escape(correlation.getKey());
            JsonNode from = correlation.getValue().get("from");
            if (from == null || !from.isTextual() || from.asText().isBlank()) {
                problems.add(new Problem(where + "/from", "a correlation needs 'from', an expression on the event"));
            } else {
                expression(from, where + "/from");
            }
            values(correlation.getValue().get("expect"), where + "/expect");
        }
    }

    private void fork(JsonNode branches, String at) {
        Set<String> names = new HashSet<>();
        branches.forEach(item -> item.properties().forEach(branch -> names.add(branch.getKey())));
        for (int i = 0; i < branches.size(); i++) {
            for (Map.Entry<String, JsonNode> branch : branches.get(i).properties()) {
                task(branch.getValue(), at + "/" + i + "/" + branch.getKey(), names);
            }
        }
    }

    private void handler(JsonNode handler, String at) {
        expression(handler.get("when"), at + "/when");
        expression(handler.get("exceptWhen"), at + "/exceptWhen");
        JsonNode retry = handler.get("retry");
        if (retry != null && retry.isTextual()) {
            reference("retries", retry, at + "/retry");
        } else if (retry != null) {
            retry(retry, at + "/retry");
        }
        if (handler.has("do")) {
            list(handler.get("do"), at + "/do");
        }
    }

    private void retry(JsonNode policy, String at) {
        expression(policy.get("when"), at + "/when");
        expression(policy.get("exceptWhen"), at + "/exceptWhen");
        values(policy.get("delay"), at + "/delay");
        values(policy.get("jitter"), at + "/jitter");
        values(policy.get("limit"), at + "/limit");
    }

    private void cases(JsonNode cases, String at, Set<String> siblings) {
        for (int i = 0; i < cases.size(); i++) {
            for (Map.Entry<String, JsonNode> c : cases.get(i).properties()) {
                String caseAt = at + "/" + i + "/" + c.getKey();
                expression(c.getValue().get("when"), caseAt + "/when");
                flow(c.getValue().get("then"), caseAt + "/then", siblings);
            }
        }
    }

    /** A {@code timeout}: inline, or the name of one under {@code use.timeouts}. */
    private void timeout(JsonNode timeout, String at) {
        reference("timeouts", timeout, at);
    }

    /** A value that may name a {@code use} component instead of giving it inline. */
    private void reference(String kind, JsonNode value, String at) {
        if (value == null) {
            return;
        }
        if (!value.isTextual()) {
            values(value, at);
        } else if (!use.path(kind).has(value.asText())) {
            problems.add(new Problem(at, "'" + value.asText() + "' is not defined under use." + kind
                    + defined(use.path(kind))));
        }
    }

    /** An endpoint's {@code authentication: {use: name}} must name one under {@code use.authentications}. */
    private void authentications(JsonNode node, String at) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldAt = at + "/" + field.getKey();
            JsonNode value = field.getValue();
            if ("authentication".equals(field.getKey()) && value.path("use").isTextual()) {
                String name = value.path("use").asText();
                if (!use.path("authentications").has(name)) {
                    problems.add(new Problem(fieldAt + "/use", "'" + name + "' is not defined under "
                            + "use.authentications" + defined(use.path("authentications"))));
                }
            } else if ("authentication".equals(field.getKey())) {
                policy(value, fieldAt);
            } else {
                authentications(value, fieldAt);
            }
        }
    }

    /** A policy's credentials from a secret ({@code basic: {use: name}}) must name one of {@code use.secrets}. */
    private void policy(JsonNode policy, String at) {
        for (Map.Entry<String, JsonNode> scheme : policy.properties()) {
            JsonNode secret = scheme.getValue().path("use");
            if (secret.isTextual() && !secrets.contains(secret.asText())) {
                problems.add(new Problem(at + "/" + escape(scheme.getKey()) + "/use", "secret '" + secret.asText()
                        + "' is not listed in use.secrets" + listed()));
            }
        }
    }

    /**
     * Each {@code $secrets} in an expression: only where a call's runner fills it in, followed by the name of a
     * secret of {@code use.secrets} and any fields, so that it stays a reference (see {@link SecretReference}).
     */
    private void secrets(String jq, String at) {
        java.util.regex.Matcher uses = SECRETS.matcher(jq);
        while (uses.find()) {
            if (!secretsAllowed) {
                problems.add(new Problem(at, "$secrets may be named only in a call's endpoint, headers, query, body "
                        + "or parameters, or in an authentication policy, where the runner fills it in when it makes "
                        + "the call: anywhere else its value would be kept in the execution's data"));
                return;
            }
            java.util.regex.Matcher ref = SECRET_PATH.matcher(jq).region(uses.start(), jq.length());
            if (!ref.lookingAt() || ref.end() < jq.length() && "[.".indexOf(jq.charAt(ref.end())) >= 0
                    && !jq.startsWith("..", ref.end())) {
                problems.add(new Problem(at, "$secrets is followed by the name of a secret and its fields, "
                        + "$secrets.name.field or $secrets[\"name\"], in '" + shorten(jq) + "'"));
                continue;
            }
            List<String> names = new ArrayList<>();
            java.util.regex.Matcher segment = SEGMENT.matcher(ref.group(1));
            while (segment.find()) {
                names.add(segment.group(1) != null ? segment.group(1)
                        : segment.group(2) != null ? segment.group(2) : segment.group(3));
            }
            if (!secrets.contains(names.get(0))) {
                problems.add(new Problem(at, "secret '" + names.get(0) + "' is not listed in use.secrets"
                        + listed()));
                continue;
            }
            references.putIfAbsent(new SecretReference(names.get(0), names.subList(1, names.size())), at);
        }
    }

    /** A secret is named whole or by its fields, not both: the whole one would have to be a text and an object. */
    private void overlappingReferences() {
        for (Map.Entry<SecretReference, String> a : references.entrySet()) {
            for (SecretReference b : references.keySet()) {
                if (a.getKey().secret().equals(b.secret()) && b.path().size() > a.getKey().path().size()
                        && b.path().subList(0, a.getKey().path().size()).equals(a.getKey().path())) {
                    problems.add(new Problem(a.getValue(), "$secrets." + a.getKey().shown() + " is named here "
                            + "and $secrets." + b.shown() + " elsewhere: name a secret whole or by its fields"));
                    break;
                }
            }
        }
    }

    private String listed() {
        return secrets.isEmpty() ? " (it lists none)" : " (it lists " + String.join(", ",
                secrets.stream().sorted().toList()) + ")";
    }

    private void flow(JsonNode then, String at, Set<String> siblings) {
        if (then == null || !then.isTextual() || DIRECTIVES.contains(then.asText())
                || siblings.contains(then.asText())) {
            return;
        }
        problems.add(new Problem(at, "'then: " + then.asText() + "' names no task in the same list (it has "
                + String.join(", ", siblings.stream().sorted().toList())
                + "); use one of those, continue, exit or end"));
    }

    /** {@code input.from}, {@code output.as}, {@code export.as}: an expression, or an object holding them. */
    private void transform(JsonNode node, String at) {
        if (node != null && node.isTextual()) {
            expression(node, at);
        } else {
            values(node, at);
        }
    }

    /** Every {@code ${ }} string inside a value. */
    private void values(JsonNode node, String at) {
        if (node == null) {
            return;
        }
        if (Expressions.isExpression(node)) {
            expression(node, at);
        } else if (node.isObject()) {
            node.properties().forEach(f -> values(f.getValue(), at + "/" + escape(f.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                values(node.get(i), at + "/" + i);
            }
        }
    }

    /** A field that is always an expression, with or without its {@code ${ }}. */
    private void expression(JsonNode node, String at) {
        if (node == null || !node.isTextual()) {
            return;
        }
        String jq = Expressions.strip(node.asText());
        try {
            if (!queries.containsKey(jq)) {
                queries.put(jq, JsonQuery.compile(jq, Versions.JQ_1_6));
            }
            if (jq.contains("$secrets")) {
                secrets(jq, at);
            }
        } catch (JsonQueryException | RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            problems.add(new Problem(at, "'" + shorten(jq) + "' is not a valid jq expression: " + reason));
        }
    }

    private static String defined(JsonNode components) {
        List<String> names = new ArrayList<>();
        components.properties().forEach(e -> names.add(e.getKey()));
        return names.isEmpty() ? " (none is defined)" : " (defined: " + String.join(", ", names) + ")";
    }

    private static String shorten(String jq) {
        return jq.length() > 80 ? jq.substring(0, 80) + "..." : jq;
    }

    /** A JSON pointer token: ~ and / escaped. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
