package io.runstream.ingress.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runstream.engine.Definition;
import io.runstream.engine.Definitions;
import io.runstream.ingress.domain.InputContract;
import io.runstream.ingress.domain.StartableWorkflow;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Checks a start's input with the engine's compiled definition, the same program the worker runs it with: each
 * definition text is compiled once and kept while it is in use.
 */
@Component
class EngineInputContract implements InputContract {

    /** Definitions kept compiled: the workflows started recently, least recently used first out. */
    private static final int CACHED_DEFINITIONS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Definitions definitions = new Definitions(CACHED_DEFINITIONS);

    @Override
    public Optional<String> violation(StartableWorkflow workflow, String inputJson) {
        Definition definition;
        try {
            synchronized (definitions) {
                definition = definitions.get(workflow.definition());
            }
            return definition.inputViolation(JSON.readTree(inputJson));
        } catch (Definitions.InvalidDefinitionException | JsonProcessingException e) {
            // validated when stored, and canonical JSON: should either fail, the worker fails the run with why
            return Optional.empty();
        }
    }
}
