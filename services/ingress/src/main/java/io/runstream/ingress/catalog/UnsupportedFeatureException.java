package io.runstream.ingress.catalog;

/** A definition that uses a feature this version of Runstream does not run (or refuses to), named with its path. */
public class UnsupportedFeatureException extends RuntimeException {

    public UnsupportedFeatureException(String message) {
        super(message);
    }
}
