package io.runstream.engine;

/** A mistake in a definition: where it is, as a JSON pointer into the definition, and what it is. */
public record Problem(String at, String message) {

    @Override
    public String toString() {
        return at + ": " + message;
    }
}
