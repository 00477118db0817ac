package io.runstream.ingress.catalog;

/** Port: checks that a text is a valid Serverless Workflow 1.0 definition that Runstream is willing to run. */
public interface DefinitionValidator {

    /** Throws {@link InvalidDefinitionException} naming where the definition is wrong. */
    void validate(String definition, DefinitionFormat format);
}
