package io.runstream.ingress.catalog;

/** How a workflow definition is written. */
public enum DefinitionFormat {
    YAML, JSON
}
