package io.runstream.ingress.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runstream.engine.Definitions;
import io.runstream.ingress.catalog.DefinitionFormat;
import io.runstream.ingress.catalog.DefinitionValidator;
import io.runstream.ingress.catalog.InvalidDefinitionException;
import io.serverlessworkflow.api.WorkflowFormat;
import io.serverlessworkflow.api.WorkflowReader;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Validates definitions with the CNCF Serverless Workflow SDK's JSON-schema validation, condenses its many
 * alternative-schema lines into the one that says what is wrong where, refuses {@code run} tasks of processes, then
 * compiles them with the worker's own compiler, which finds what the schema cannot see (expressions that are not jq,
 * references to undefined {@code use} components, a {@code then} to no task), each with the JSON pointer of the
 * mistake.
 */
@Component
class SdkDefinitionValidator implements DefinitionValidator {

    private static final int MAX_PROBLEMS = 3;

    @Override
    public void validate(String definition, DefinitionFormat format) {
        WorkflowFormat sdkFormat = format == DefinitionFormat.YAML ? WorkflowFormat.YAML : WorkflowFormat.JSON;
        JsonNode tree;
        try {
            tree = sdkFormat.mapper().readTree(definition);
        } catch (IOException e) {
            throw new InvalidDefinitionException("Definition is not valid " + format + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidDefinitionException("Definition must be a " + format + " object");
        }
        // a feature this version does not run is named as such, whatever else is wrong with its task
        UnsupportedFeatures.check(tree);
        try {
            WorkflowReader.validation().read(withSubflowVersions(tree) ? sdkFormat.mapper().writeValueAsString(tree)
                    : definition, sdkFormat);
        } catch (IOException | RuntimeException e) {
            throw new InvalidDefinitionException("Invalid workflow definition: " + condense(e.getMessage()));
        }
        try {
            Definitions.compile(definition);
        } catch (Definitions.InvalidDefinitionException mistakes) {
            throw new InvalidDefinitionException("Invalid workflow definition: " + mistakes.getMessage());
        }
    }

    /**
     * Gives each {@code run: workflow} without a {@code version} the one the DSL defaults to, {@code latest}, which
     * its schema nonetheless requires; true if it gave any. Only the copy that is validated changes: the engine
     * takes the same default when it reads the text as stored.
     */
    static boolean withSubflowVersions(JsonNode node) {
        boolean changed = false;
        if (node.isObject() && node.path("run").path("workflow") instanceof ObjectNode workflow
                && !workflow.has("version")) {
            workflow.put("version", "latest");
            changed = true;
        }
        for (JsonNode child : node) {
            changed |= withSubflowVersions(child);
        }
        return changed;
    }

    /** The schema validator lists every alternative it tried; keep the few lines that name the actual mistake. */
    static String condense(String message) {
        if (message == null || message.isBlank()) {
            return "rejected by the Serverless Workflow 1.0 schema";
        }
        Set<String> distinct = new LinkedHashSet<>(message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList());
        List<String> specific = distinct.stream()
                .filter(l -> l.contains("is not evaluated") || l.contains("not allowed") || l.contains("found,")
                        || l.contains("does not match") || l.contains("is not defined")
                        || l.contains("required property"))
                .toList();
        List<String> chosen = (specific.isEmpty() ? List.copyOf(distinct) : specific).stream()
                .sorted(Comparator.comparingInt(l -> -l.indexOf(':')))
                .limit(MAX_PROBLEMS)
                .map(l -> l.replace("is not evaluated and the schema does not allow unevaluated properties",
                        "is not allowed here"))
                .toList();
        return String.join("; ", chosen);
    }
}
